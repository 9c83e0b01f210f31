using AkkaStream.Broker.Tests.Support;

namespace AkkaStream.Web.Tests.Support;

/// <summary>Several <see cref="WebBroker"/>s in one cluster, sharing one journal in one temp directory; broker 1 is the seed.</summary>
public sealed class WebCluster : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<WebBroker> _brokers = [];

    public IReadOnlyList<WebBroker> Brokers => _brokers;

    /// <summary>Starts brokers 1 to <paramref name="count"/> and waits until each broker's metadata lists them all.</summary>
    public static async Task<WebCluster> StartAsync(int count, params string[] settings)
    {
        var cluster = new WebCluster();
        try
        {
            var first = await WebBroker.StartAsync(cluster._dir, 1, null, settings);
            cluster._brokers.Add(first);
            var seed = first.Server.Node.Cluster.SelfAddress.ToString();
            for (var id = 2; id <= count; id++)
            {
                cluster._brokers.Add(await WebBroker.StartAsync(cluster._dir, id, seed, settings));
            }
            await Eventually.True(() => cluster._brokers.All(b => b.Server.Node.Metadata.Current.Brokers.Count == count),
                TimeSpan.FromSeconds(60), $"every broker's metadata lists all {count} brokers");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops broker <paramref name="brokerId"/> gracefully (it leaves the cluster); the others keep running.</summary>
    public async Task StopAsync(int brokerId)
    {
        var broker = _brokers.Single(b => b.Server.Node.Settings.BrokerId == brokerId);
        _brokers.Remove(broker);
        await broker.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // The seed last, so the others leave a cluster that still has a member to tell.
        for (var i = _brokers.Count - 1; i >= 0; i--)
        {
            await _brokers[i].DisposeAsync();
        }
        _dir.Dispose();
    }
}
