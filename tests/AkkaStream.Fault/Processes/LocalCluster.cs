using Akka.Configuration;
using AkkaStream.Client;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Fault.Processes;

/// <summary>
/// N broker processes on 127.0.0.1 from hocon/node-1.conf … node-N.conf, on free ports, in one
/// scratch directory, with a client that knows all of them. The C# twin of
/// deploy/local-cluster.sh, for tests and benchmarks. Not thread-safe: one driver owns it.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>How long a graceful stop may take before the process is killed.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a joined cluster must stay whole before it counts as joined: several gossip rounds (500 ms each in the node files).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private readonly bool _keepScratch;

    private LocalCluster(string scratchRoot, IReadOnlyList<BrokerProcess> brokers, AkkaStreamClient client, bool keepScratch)
    {
        ScratchRoot = scratchRoot;
        Brokers = brokers;
        Client = client;
        _keepScratch = keepScratch;
        AppDomain.CurrentDomain.ProcessExit += KillBrokersOnExit;
    }

    /// <summary>Holds data/node-&lt;id&gt;/, data/cluster.db and logs/node-&lt;id&gt;.log.</summary>
    public string ScratchRoot { get; }

    /// <summary>Broker id i is at index i - 1.</summary>
    public IReadOnlyList<BrokerProcess> Brokers { get; }

    /// <summary>A client bootstrapped with every broker, for the test's own admin and metadata requests.</summary>
    public AkkaStreamClient Client { get; }

    public BrokerProcess Broker(int brokerId) => Brokers[brokerId - 1];

    /// <summary>
    /// Starts the brokers and waits until each one sees all of them. The scratch directory is
    /// deleted on dispose unless AKKASTREAM_KEEP_SCRATCH is set (to read the brokers' logs).
    /// </summary>
    /// <param name="brokerOverrides">Settings every broker gets on top of its node file.</param>
    /// <param name="clientConfig">HOCON for the client (akkastream.client timings); bootstrap servers are set here.</param>
    /// <param name="launcher">How each broker is started: <c>dotnet akkastream.dll</c> when null, or a published executable.</param>
    public static async Task<LocalCluster> StartAsync(int size, TimeSpan joinTimeout, IReadOnlyList<string>? brokerOverrides = null, string clientConfig = "",
        BrokerLauncher? launcher = null)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"akkastream-cluster-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(scratch);
        var ports = FreePorts.Take(size);
        var brokers = Enumerable.Range(1, size).Select(id => new BrokerProcess(id, ports[id - 1], scratch, brokerOverrides ?? [], launcher)).ToList();
        var bootstrap = string.Join(",", brokers.Select(b => $"\"{b.Endpoint}\""));
        var client = AkkaStreamClient.Create(ConfigurationFactory.ParseString(
            $"akkastream.client.bootstrap-servers = [{bootstrap}]\n{clientConfig}"));
        var cluster = new LocalCluster(scratch, brokers, client, Environment.GetEnvironmentVariable("AKKASTREAM_KEEP_SCRATCH") is { Length: > 0 });
        try
        {
            // Broker 1 first in every seed list: it forms the cluster, the others join it.
            var seeds = brokers.Select(b => b.SeedAddress).ToList();
            foreach (var broker in brokers) broker.Start(seeds);
            await cluster.WaitJoinedAsync(joinTimeout).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The cluster as a broker's gateway reports it, or null when none answers in time.</summary>
    public async Task<DescribeClusterResponse?> DescribeAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await Client.Admin.DescribeClusterAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or AkkaStreamException or TimeoutException or Akka.Actor.AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits until the controller counts every running broker as live (and names itself), and
    /// keeps doing so for <see cref="Settle"/>: the controller sees a member Up before gossip has
    /// reached every other member, and a fault injected before that can leave the survivors
    /// disagreeing about the majority, so that the Split Brain Resolver downs a healthy broker.
    /// </summary>
    public async Task WaitJoinedAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        DescribeClusterResponse? last = null;
        DateTime? allLiveSince = null;
        while (DateTime.UtcNow < deadline)
        {
            ThrowIfAnyExitedUnexpectedly();
            var running = Brokers.Where(b => b.State == BrokerProcessState.Running).Select(b => b.BrokerId).ToHashSet();
            last = await DescribeAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            if (last is { ControllerId: >= 0 } && running.SetEquals(last.Brokers.Select(b => b.BrokerId)))
            {
                allLiveSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - allLiveSince >= Settle) return;
            }
            else
            {
                allLiveSince = null;
            }
            await Task.Delay(250).ConfigureAwait(false);
        }
        throw new TimeoutException($"the brokers did not all join within {within}; last seen: " +
            (last is null ? "no answer" : $"controller {last.ControllerId}, brokers [{string.Join(",", last.Brokers.Select(b => b.BrokerId))}]") +
            $"; logs in {ScratchRoot}/logs");
    }

    /// <summary>Starts a stopped or killed broker again and waits until the cluster counts it.</summary>
    public async Task RestartAsync(int brokerId, TimeSpan joinTimeout)
    {
        var broker = Broker(brokerId);
        if (broker.State != BrokerProcessState.Stopped) await broker.StopAsync(StopTimeout).ConfigureAwait(false);
        // Only the others as seeds while any of them runs: with its own address first, a
        // restarted broker 1 that hears from no seed in time would start a second cluster of its own.
        var others = Brokers.Where(b => b.BrokerId != brokerId && b.State != BrokerProcessState.Stopped).ToList();
        broker.Start([.. (others.Count > 0 ? others : Brokers).Select(b => b.SeedAddress)]);
        await WaitJoinedAsync(joinTimeout).ConfigureAwait(false);
    }

    /// <summary>Stops every broker gracefully, one at a time (the last one left cannot hand anything over, and need not).</summary>
    public async Task StopAllAsync()
    {
        foreach (var broker in Brokers) await broker.StopAsync(StopTimeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillBrokersOnExit;
        await Client.DisposeAsync().ConfigureAwait(false);
        foreach (var broker in Brokers) await broker.DisposeAsync().ConfigureAwait(false);
        if (!_keepScratch)
        {
            try
            {
                Directory.Delete(ScratchRoot, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying process; the directory is under /tmp.
            }
        }
    }

    /// <summary>A test host stopped by a hang timeout (SIGTERM) never disposes the cluster; its brokers must not outlive it.</summary>
    private void KillBrokersOnExit(object? sender, EventArgs e)
    {
        foreach (var broker in Brokers)
        {
            if (broker.State != BrokerProcessState.Stopped) broker.Kill();
        }
    }

    /// <summary>A broker that exited though nobody stopped or killed it (a bad configuration, a crash) fails the wait at once.</summary>
    private void ThrowIfAnyExitedUnexpectedly()
    {
        foreach (var broker in Brokers)
        {
            if (broker.State == BrokerProcessState.Stopped && broker.ExitCode is { } code && code != 0 && code != 137)
            {
                throw new InvalidOperationException($"broker {broker.BrokerId} exited with code {code}; see {broker.LogFile}");
            }
        }
    }
}
