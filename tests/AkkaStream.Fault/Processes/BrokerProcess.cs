using System.Diagnostics;

namespace AkkaStream.Fault.Processes;

/// <summary>What a <see cref="BrokerProcess"/> is doing as far as the operating system knows.</summary>
public enum BrokerProcessState
{
    Stopped,
    Running,
    Paused,
}

/// <summary>
/// One broker as an operating-system process: <c>dotnet akkastream.dll broker --config
/// hocon/node-&lt;id&gt;.conf</c> with its own port, data directory and log file, and the faults a
/// real machine suffers (kill -9, SIGSTOP). Not thread-safe: one driver owns it.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _overrides;
    private readonly string _workingDirectory;
    private Process? _process;
    private StreamWriter? _log;
    private bool _paused;
    private IReadOnlyList<string> _seeds = [];

    /// <param name="overrides">Further <c>--set key=value</c> settings (timings).</param>
    public BrokerProcess(int brokerId, int port, string scratchRoot, IReadOnlyList<string> overrides)
    {
        BrokerId = brokerId;
        Port = port;
        _workingDirectory = scratchRoot;
        DataDir = Path.Combine(scratchRoot, "data", $"node-{brokerId}");
        JournalPath = Path.Combine(scratchRoot, "data", "cluster.db");
        LogFile = Path.Combine(scratchRoot, "logs", $"node-{brokerId}.log");
        _overrides = overrides;
    }

    public int BrokerId { get; }

    /// <summary>The Akka.Remote port (the gateway's).</summary>
    public int Port { get; }

    public string DataDir { get; }

    /// <summary>The SQLite journal the brokers of one cluster share.</summary>
    public string JournalPath { get; }

    /// <summary>Standard output and error of every run of this broker, appended.</summary>
    public string LogFile { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public int? Pid => IsAlive ? _process!.Id : null;

    public BrokerProcessState State => !IsAlive ? BrokerProcessState.Stopped : _paused ? BrokerProcessState.Paused : BrokerProcessState.Running;

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    private bool IsAlive => _process is { HasExited: false };

    /// <summary>The address other brokers name this one by in their seed lists.</summary>
    public string SeedAddress => $"akka.tcp://akkastream@127.0.0.1:{Port}";

    /// <summary>
    /// Starts the process; it joins the cluster asynchronously through <paramref name="seeds"/>.
    /// A broker whose own address comes first may form a new cluster by itself when no other
    /// seed answers within Akka's seed-node-timeout, so a broker started into a running cluster
    /// must not come first.
    /// </summary>
    public void Start(IReadOnlyList<string> seeds)
    {
        _seeds = seeds;
        if (IsAlive) throw new InvalidOperationException($"broker {BrokerId} is already running");
        Directory.CreateDirectory(Path.GetDirectoryName(LogFile)!);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments()) start.ArgumentList.Add(argument);
        _log?.Dispose();
        _log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        var log = TextWriter.Synchronized(_log);
        log.WriteLine($"---- start {Starts + 1} of broker {BrokerId} at {DateTime.UtcNow:O}");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _paused = false;
        Starts++;
    }

    /// <summary>kill -9: no shutdown hook runs, nothing is flushed; the cluster has to notice.</summary>
    public void Kill()
    {
        if (!IsAlive) throw new InvalidOperationException($"broker {BrokerId} is not running");
        Signals.Send(_process!.Id, Signals.Kill);
        _process.WaitForExit();
        _paused = false;
    }

    /// <summary>SIGSTOP: the process keeps its sockets open but answers nothing (a long GC pause, a frozen VM).</summary>
    public void Pause()
    {
        if (!IsAlive) throw new InvalidOperationException($"broker {BrokerId} is not running");
        Signals.Send(_process!.Id, Signals.Stop);
        _paused = true;
    }

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume()
    {
        if (!IsAlive) throw new InvalidOperationException($"broker {BrokerId} is not running");
        Signals.Send(_process!.Id, Signals.Cont);
        _paused = false;
    }

    /// <summary>SIGTERM, as a service manager stops it: the broker leaves the cluster and closes its logs. Killed if it takes longer than <paramref name="timeout"/>.</summary>
    /// <returns>Whether it stopped by itself in time.</returns>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (!IsAlive) return true;
        // A paused process acts on SIGTERM only once it runs again.
        Signals.Send(_process!.Id, Signals.Cont);
        Signals.Send(_process.Id, Signals.Term);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return false;
        }
        finally
        {
            _paused = false;
        }
    }

    /// <summary>The exit code of the last run, or null while it runs or before it ever ran.</summary>
    public int? ExitCode => _process is { HasExited: true } ? _process.ExitCode : null;

    public async ValueTask DisposeAsync()
    {
        if (IsAlive) Kill();
        if (_process is not null) await _process.WaitForExitAsync().ConfigureAwait(false);
        _process?.Dispose();
        _log?.Dispose();
    }

    private IEnumerable<string> Arguments()
    {
        yield return RepositoryLayout.CliAssembly();
        yield return "broker";
        yield return "--config";
        yield return RepositoryLayout.NodeFile(BrokerId);
        foreach (var setting in (string[])[
            $"akkastream.data-dir=\"{DataDir}\"",
            $"akkastream.journal.sqlite-path=\"{JournalPath}\"",
            $"akkastream.listener.port={Port}",
            // A free Kafka port too: the node files name 9092-9094, which parallel runs would share.
            "akkastream.kafka.port=0",
            // and a free HTTP port (the node files name 8080-8082).
            "akkastream.http.port=0",
            $"akka.cluster.seed-nodes=[{string.Join(",", _seeds.Select(seed => $"\"{seed}\""))}]",
            .. _overrides])
        {
            yield return "--set";
            yield return setting;
        }
    }
}
