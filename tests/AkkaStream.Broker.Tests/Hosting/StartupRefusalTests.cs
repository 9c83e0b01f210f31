using System.Net;
using System.Net.Sockets;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;

namespace AkkaStream.Broker.Tests.Hosting;

/// <summary>
/// Mistakes only start-up can find (a data directory in use, a port taken) stop the broker before
/// its ActorSystem starts, with the key named, and leave its data directory unlocked.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StartupRefusalTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_second_broker_on_a_data_directory_in_use_is_refused_naming_the_directory_and_the_holder()
    {
        var dataDir = _dir.Sub("shared");
        await using var first = await BrokerNode.StartAsync(Nodes.Config(dataDir, 1, _dir.Sub("one.db")));

        var e = await Assert.ThrowsAsync<BrokerConfigException>(() => BrokerNode.StartAsync(Nodes.Config(dataDir, 2, _dir.Sub("two.db"))));

        Assert.Equal("akkastream.data-dir", e.Key);
        Assert.Contains($"the data directory {dataDir} is in use by another broker (this process (pid {Environment.ProcessId}) holds", e.Message);
        Assert.EndsWith("expected a data directory no running broker uses", e.Message);
        Assert.False(first.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task A_taken_remote_port_is_refused_before_anything_starts_and_the_data_directory_is_unlocked()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dataDir = _dir.Sub("node");

        var e = await Assert.ThrowsAsync<BrokerConfigException>(() =>
            BrokerNode.StartAsync(Nodes.Config(dataDir, 1, _dir.Sub("cluster.db"), null, $"akkastream.listener.port = {port}")));

        Assert.Equal("akkastream.listener.port", e.Key);
        Assert.Equal($"akkastream.listener.port: port {port} on 127.0.0.1 is already in use by another process; expected a free port (or 0 for any)", e.Message);
        DataDirectoryLock.Acquire(dataDir).Dispose();
        // No journal was opened either: the refusal came before the ActorSystem.
        Assert.False(File.Exists(_dir.Sub("cluster.db")));
    }

    [Fact]
    public void The_port_check_passes_a_free_port_and_port_0()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        PortCheck.EnsureFree("akkastream.http.port", "127.0.0.1", port);
        PortCheck.EnsureFree("akkastream.http.port", "127.0.0.1", 0);
        // The check let the port go: it can be taken right after.
        using var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
        var e = Assert.Throws<BrokerConfigException>(() => PortCheck.EnsureFree("akkastream.http.port", "127.0.0.1", port));
        Assert.Equal("akkastream.http.port", e.Key);
    }
}
