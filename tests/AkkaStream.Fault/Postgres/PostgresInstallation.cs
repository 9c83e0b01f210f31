namespace AkkaStream.Fault.Postgres;

/// <summary>
/// Debian's PostgreSQL package as the tests find it: the server binaries under
/// <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> (the newest version installed) and, when the tests
/// run as root, the <c>postgres</c> system user the package creates. Thread-safe (immutable).
/// </summary>
public sealed class PostgresInstallation
{
    private const string Root = "/usr/lib/postgresql";

    /// <summary>How to get it, in every message about it missing.</summary>
    public const string InstallHint = "install Debian's package: apt-get install -y postgresql (tests/run-all.sh does this before the tests)";

    private PostgresInstallation(string binDirectory, string version)
    {
        BinDirectory = binDirectory;
        Version = version;
    }

    public string BinDirectory { get; }

    /// <summary>The major version, the directory's name (e.g. 15).</summary>
    public string Version { get; }

    public string Program(string name) => Path.Combine(BinDirectory, name);

    /// <summary>
    /// PostgreSQL refuses to run as root; as root, initdb and the server run as the package's
    /// <c>postgres</c> user through runuser.
    /// </summary>
    public static bool RunsAsPostgresUser => Environment.IsPrivilegedProcess;

    /// <summary>The newest installed version.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed: the message says how to install it. A test that needs it fails, never skips.</exception>
    public static PostgresInstallation Find()
    {
        var versions = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Where(dir => File.Exists(Path.Combine(dir, "bin", "initdb")) && File.Exists(Path.Combine(dir, "bin", "pg_ctl")))
                .Select(dir => (Dir: dir, Major: int.TryParse(Path.GetFileName(dir), out var major) ? major : -1))
                .OrderByDescending(v => v.Major)
                .ToList()
            : [];
        if (versions.Count == 0)
        {
            throw new InvalidOperationException($"PostgreSQL's server is not installed (no {Root}/<version>/bin/initdb): {InstallHint}");
        }
        if (RunsAsPostgresUser && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
        {
            throw new InvalidOperationException("running as root, PostgreSQL must run as the postgres user, but runuser (util-linux) is missing");
        }
        var newest = versions[0];
        return new PostgresInstallation(Path.Combine(newest.Dir, "bin"), Path.GetFileName(newest.Dir));
    }
}
