namespace AkkaStream.Fault.Processes;

/// <summary>Where the node files and the built <c>akkastream</c> command are, found from this assembly's location.</summary>
public static class RepositoryLayout
{
    /// <summary>The directory holding AkkaStream.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>hocon/node-&lt;id&gt;.conf.</summary>
    public static string NodeFile(int brokerId) => Path.Combine(Root, "hocon", $"node-{brokerId}.conf");

    /// <summary>
    /// The akkastream.dll of the same configuration (Debug or Release) this assembly was built in;
    /// the project reference builds it first.
    /// </summary>
    public static string CliAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
        var path = Path.Combine(Root, "src", "AkkaStream.Cli", "bin", configuration, "net10.0", "akkastream.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"build the command first: dotnet build src/AkkaStream.Cli -c {configuration}", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AkkaStream.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no AkkaStream.sln above {AppContext.BaseDirectory}");
    }
}
