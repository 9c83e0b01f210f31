using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;

namespace AkkaStream.Cli.Tests.TestSupport;

/// <summary>One real broker on loopback with its SQLite journal in a temp directory, for commands that need the broker's own behaviour.</summary>
public sealed class RealBroker : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public BrokerNode Node { get; private set; } = null!;

    /// <summary>host:port of the broker's Akka.Remote endpoint, as <c>--bootstrap</c> takes it.</summary>
    public string Bootstrap => $"{Node.Settings.PublicHost}:{Node.Cluster.SelfAddress.Port}";

    public async Task InitializeAsync()
    {
        Node = await BrokerNode.StartAsync(Nodes.Config(_dir.Sub("node"), 1, _dir.Sub("cluster.db")));
        await Eventually.True(() => Node.Metadata.Current.Brokers.Count == 1, because: "the broker publishes itself");
    }

    public async Task DisposeAsync()
    {
        await Node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _dir.Dispose();
    }
}
