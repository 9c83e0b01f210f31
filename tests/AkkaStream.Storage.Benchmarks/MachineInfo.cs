using System.Runtime;
using System.Runtime.InteropServices;

namespace AkkaStream.Storage.Benchmarks;

/// <summary>What the numbers were measured on. Thread-safe (stateless).</summary>
internal static class MachineInfo
{
    public static IReadOnlyList<(string Item, string Value)> Describe(string directory) =>
    [
        ("OS", RuntimeInformation.OSDescription),
        ("CPU", $"{Environment.ProcessorCount} cores, {CpuModel()}"),
        ("memory", $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):F1} GiB visible to .NET"),
        (".NET", $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"),
        ("scratch directory", directory),
        ("file system", FileSystemOf(directory)),
    ];

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }

    /// <summary>The type, device and options of the mount holding <paramref name="directory"/> (the longest matching mount point).</summary>
    private static string FileSystemOf(string directory)
    {
        const string mounts = "/proc/mounts";
        if (!File.Exists(mounts))
        {
            return "unknown";
        }
        var path = Path.GetFullPath(directory);
        string[]? best = null;
        foreach (var line in File.ReadLines(mounts))
        {
            var fields = line.Split(' ');
            if (fields.Length < 4)
            {
                continue;
            }
            var mountPoint = fields[1].Replace("\\040", " ", StringComparison.Ordinal);
            var contains = path == mountPoint || path.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (contains && (best is null || mountPoint.Length >= best[1].Length))
            {
                best = fields;
            }
        }
        return best is null ? "unknown" : $"{best[2]} on {best[0]} at {best[1]} ({best[3]})";
    }
}
