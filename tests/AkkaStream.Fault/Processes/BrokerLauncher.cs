using System.Runtime.InteropServices;

namespace AkkaStream.Fault.Processes;

/// <summary>
/// How a broker process is started: the built command under the .NET host (<c>dotnet
/// akkastream.dll</c>, the default), or a self-contained <c>akkastream</c> executable from
/// deploy/publish.sh. Immutable.
/// </summary>
/// <param name="Program">What is executed.</param>
/// <param name="LeadingArguments">What comes before <c>broker</c> on its command line.</param>
/// <param name="Environment">Variables set for it on top of the test's.</param>
public sealed record BrokerLauncher(string Program, IReadOnlyList<string> LeadingArguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary><c>dotnet akkastream.dll</c> of the configuration this assembly was built in.</summary>
    public static BrokerLauncher BuiltCommand() => new("dotnet", [RepositoryLayout.CliAssembly()], new Dictionary<string, string>());

    /// <summary>
    /// The executable deploy/publish.sh wrote for this machine's platform; a single-file bundle
    /// extracts its native libraries (SQLite's) under <paramref name="extractDirectory"/> rather
    /// than the user's home.
    /// </summary>
    public static BrokerLauncher Published(string extractDirectory) =>
        new(PublishedExecutable(), [], new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = extractDirectory });

    /// <summary>dist/&lt;rid&gt;/akkastream (AKKASTREAM_DIST replaces dist/, as in deploy/publish.sh).</summary>
    /// <exception cref="FileNotFoundException">Not published: the message says how to publish it.</exception>
    public static string PublishedExecutable()
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var dist = System.Environment.GetEnvironmentVariable("AKKASTREAM_DIST") is { Length: > 0 } set ? Path.GetFullPath(set, RepositoryLayout.Root) : Path.Combine(RepositoryLayout.Root, "dist");
        var path = Path.Combine(dist, rid, OperatingSystem.IsWindows() ? "akkastream.exe" : "akkastream");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"no self-contained executable for {rid}: run deploy/publish.sh {rid} first (tests/run-all.sh does)", path);
    }
}
