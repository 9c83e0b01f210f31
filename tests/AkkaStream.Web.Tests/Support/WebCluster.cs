using AkkaStream.Broker.Tests.Support;
using AkkaStream.Web.Hosting;

namespace AkkaStream.Web.Tests.Support;

/// <summary>
/// Several <see cref="WebBroker"/>s in one cluster in one process (one ActorSystem each, on free
/// ports, one journal file in one temp directory); broker 1 is the seed. A broker can be stopped
/// and started again on its data directory, and each one's <c>/metrics</c> scraped.
/// </summary>
public sealed class WebCluster : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly string[] _settings;
    private readonly WebBroker?[] _brokers;
    private string? _seed;

    private WebCluster(int size, string[] settings)
    {
        _settings = settings;
        _brokers = new WebBroker?[size + 1];
    }

    /// <summary>The brokers running now, by id.</summary>
    public IReadOnlyList<WebBroker> Brokers => _brokers.OfType<WebBroker>().ToList();

    /// <summary>The ids of the brokers running now.</summary>
    public IEnumerable<int> Running => Enumerable.Range(1, _brokers.Length - 1).Where(id => _brokers[id] is not null);

    public BrokerServer Server(int id) => Broker(id).Server;

    /// <summary>Starts brokers 1 to <paramref name="size"/> and waits until each broker's metadata lists them all.</summary>
    /// <param name="settings">More settings for every broker (<c>key = value</c>).</param>
    public static async Task<WebCluster> StartAsync(int size, params string[] settings)
    {
        var cluster = new WebCluster(size, settings);
        try
        {
            for (var id = 1; id <= size; id++) await cluster.StartBrokerAsync(id);
            await Eventually.True(() => cluster.Running.All(id => cluster.Server(id).Node.Metadata.Current.Brokers.Count == size),
                TimeSpan.FromSeconds(60), $"every broker's metadata lists all {size} brokers");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts broker <paramref name="id"/> (again) on its data directory, joining the first broker's cluster.</summary>
    public async Task StartBrokerAsync(int id)
    {
        var broker = await WebBroker.StartAsync(_dir, id, id == 1 && _seed is null ? null : _seed, _settings);
        _seed ??= broker.Server.Node.Cluster.SelfAddress.ToString();
        _brokers[id] = broker;
    }

    /// <summary>Stops broker <paramref name="id"/> gracefully (it leaves the cluster) and waits until its data directory is released.</summary>
    public async Task StopBrokerAsync(int id)
    {
        var broker = Broker(id);
        _brokers[id] = null;
        await broker.DisposeAsync();
        await broker.Server.Node.WhenReleased.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public Task<PrometheusText> ScrapeAsync(int id) => Broker(id).ScrapeAsync();

    /// <summary>Every running broker's scrape, by broker id.</summary>
    public async Task<Dictionary<int, PrometheusText>> ScrapeAllAsync()
    {
        var scrapes = new Dictionary<int, PrometheusText>();
        foreach (var id in Running.ToList()) scrapes[id] = await ScrapeAsync(id);
        return scrapes;
    }

    public async ValueTask DisposeAsync()
    {
        // The seed last, so the others leave a cluster that still has a member to tell.
        foreach (var id in Running.Reverse().ToList())
        {
            try
            {
                await StopBrokerAsync(id);
            }
            catch (TimeoutException)
            {
                // The directory is removed below regardless.
            }
        }
        _dir.Dispose();
    }

    private WebBroker Broker(int id) => _brokers[id] ?? throw new InvalidOperationException($"broker {id} is not running");
}
