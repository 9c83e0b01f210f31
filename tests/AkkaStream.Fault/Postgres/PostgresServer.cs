using System.Globalization;
using AkkaStream.Fault.Processes;

namespace AkkaStream.Fault.Postgres;

/// <summary>
/// A PostgreSQL server of a test's own: initdb into a fresh directory under /tmp, the server on
/// a free port of 127.0.0.1 with its unix socket in that directory, one database for the
/// brokers; stopped and deleted on dispose (and killed if the test host exits first). The
/// package's own cluster, if any, is never touched. Not thread-safe: one test owns it.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The database and the user (the server's superuser, trusted on loopback) the brokers use.</summary>
    public const string Database = "akkastream";
    public const string User = "akkastream";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly PostgresInstallation _installation;
    private bool _stopped;

    private PostgresServer(PostgresInstallation installation, string directory, int port)
    {
        _installation = installation;
        ScratchRoot = directory;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;
    }

    /// <summary>Holds <c>data/</c> (the cluster), the unix socket and <c>server.log</c>.</summary>
    public string ScratchRoot { get; }

    public int Port { get; }

    public string Version => _installation.Version;

    private string DataDirectory => Path.Combine(ScratchRoot, "data");

    public string LogFile => Path.Combine(ScratchRoot, "server.log");

    /// <summary>Npgsql's connection string to the brokers' database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database={Database};Username={User};Timeout=15";

    /// <summary>The <c>--set</c> settings that put a broker's cluster journal in this server, in <paramref name="schema"/>.</summary>
    public IReadOnlyList<string> BrokerOverrides(string schema) =>
    [
        "akkastream.journal.kind = postgresql",
        $"akkastream.journal.postgresql.connection-string = \"{ConnectionString}\"",
        $"akkastream.journal.postgresql.schema = {schema}",
    ];

    /// <summary>Creates, starts and opens the server; fails with an install hint when PostgreSQL is missing.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var installation = PostgresInstallation.Find();
        var directory = Path.Combine(Path.GetTempPath(), $"akkastream-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(directory);
        var server = new PostgresServer(installation, directory, FreePorts.Take(1)[0]);
        try
        {
            if (PostgresInstallation.RunsAsPostgresUser)
            {
                await ExternalProgram.RunCheckedAsync("chown", ["postgres:postgres", directory], CommandTimeout).ConfigureAwait(false);
            }
            // Trust on loopback and the socket: the server is reachable only from this machine, for one test.
            await server.RunServerProgramAsync("initdb", ["-D", server.DataDirectory, "-U", User, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]).ConfigureAwait(false);
            // -l: the server writes to its log file, not to pg_ctl's output, which therefore ends when pg_ctl does.
            await server.RunServerProgramAsync("pg_ctl", ["-D", server.DataDirectory, "-l", server.LogFile, "-w", "-t", "60", "-o",
                string.Create(CultureInfo.InvariantCulture, $"-p {server.Port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"), "start"]).ConfigureAwait(false);
            await server.RunServerProgramAsync("createdb", ["-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", User, Database]).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs one SQL statement in the brokers' database with psql and returns its rows, one per line, fields separated by '|'.</summary>
    public async Task<IReadOnlyList<string>> QueryAsync(string sql)
    {
        var output = await ExternalProgram.RunCheckedAsync(_installation.Program("psql"),
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", Database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            CommandTimeout).ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        if (!_stopped && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await RunServerProgramAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // Already stopped; the directory goes anyway.
            }
        }
        _stopped = true;
        try
        {
            Directory.Delete(ScratchRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the directory is under /tmp.
        }
    }

    /// <summary>A test host stopped by a hang timeout never disposes the server; it must not outlive it.</summary>
    private void StopOnExit(object? sender, EventArgs e)
    {
        if (_stopped) return;
        _stopped = true;
        RunServerProgramAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "stop"]).ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>initdb, pg_ctl and the server they start run as the postgres user when the tests run as root.</summary>
    private Task<string> RunServerProgramAsync(string name, IReadOnlyList<string> arguments) =>
        PostgresInstallation.RunsAsPostgresUser
            ? ExternalProgram.RunCheckedAsync("runuser", ["-u", "postgres", "--", _installation.Program(name), .. arguments], CommandTimeout)
            : ExternalProgram.RunCheckedAsync(_installation.Program(name), arguments, CommandTimeout);
}
