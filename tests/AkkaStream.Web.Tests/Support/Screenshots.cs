namespace AkkaStream.Web.Tests.Support;

/// <summary>
/// Where the browser tests save their screenshots: <c>.test-results/screenshots/</c> at the
/// repository root, beside the test reports tests/run-all.sh collects there.
/// </summary>
public static class Screenshots
{
    public static string Directory { get; } = Create();

    private static string Create()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AkkaStream.sln"))) dir = dir.Parent;
        var root = dir?.FullName ?? AppContext.BaseDirectory;
        var path = Path.Combine(root, ".test-results", "screenshots");
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>True when <paramref name="path"/> holds a PNG image with more than its signature.</summary>
    public static bool IsNonEmptyPng(string path)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        var bytes = File.ReadAllBytes(path);
        return bytes.Length > 1000 && bytes.AsSpan().StartsWith(signature);
    }
}
