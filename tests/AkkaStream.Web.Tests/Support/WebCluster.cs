using AkkaStream.Broker.Tests.Support;
using AkkaStream.Web.Hosting;

namespace AkkaStream.Web.Tests.Support;

/// <summary>
/// Several real brokers with their Kafka and HTTP listeners in one process (one ActorSystem each,
/// on free ports, one journal file), with short replication timings; a broker can be stopped and
/// started again on its data directory, and each one's <c>/metrics</c> scraped.
/// </summary>
public sealed class WebCluster : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly string[] _settings;
    private readonly BrokerServer?[] _servers;
    private readonly HttpClient?[] _http;
    private string? _seed;

    private WebCluster(int size, string[] settings)
    {
        _settings = settings;
        _servers = new BrokerServer?[size + 1];
        _http = new HttpClient?[size + 1];
    }

    /// <summary>The ids of the brokers running now.</summary>
    public IEnumerable<int> Running => Enumerable.Range(1, _servers.Length - 1).Where(id => _servers[id] is not null);

    public BrokerServer Server(int id) => _servers[id] ?? throw new InvalidOperationException($"broker {id} is not running");

    /// <param name="settings">More settings for every broker (<c>key = value</c>).</param>
    public static async Task<WebCluster> StartAsync(int size, params string[] settings)
    {
        var cluster = new WebCluster(size, settings);
        try
        {
            for (var id = 1; id <= size; id++) await cluster.StartBrokerAsync(id);
            await Eventually.True(() => cluster.Running.All(id => cluster.Server(id).Node.Metadata.Current.Brokers.Count == size),
                TimeSpan.FromSeconds(60), $"every broker sees {size} brokers");
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
        var config = Nodes.Config(_dir.Sub($"data-{id}"), id, _dir.Sub("cluster.db"), id == 1 && _seed is null ? null : _seed,
            ["akkastream.kafka.port = 0", "akkastream.http.port = 0", .. _settings]);
        var server = await BrokerServer.StartAsync(config);
        _seed ??= server.Node.Cluster.SelfAddress.ToString();
        _servers[id] = server;
        _http[id] = new HttpClient { BaseAddress = server.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Stops broker <paramref name="id"/> gracefully (it leaves the cluster) and releases its data directory.</summary>
    public async Task StopBrokerAsync(int id)
    {
        var server = Server(id);
        _servers[id] = null;
        _http[id]!.Dispose();
        _http[id] = null;
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await server.Node.WhenReleased.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public Task<PrometheusText> ScrapeAsync(int id) => PrometheusText.ScrapeAsync(_http[id] ?? throw new InvalidOperationException($"broker {id} is not running"));

    /// <summary>Every running broker's scrape, by broker id.</summary>
    public async Task<Dictionary<int, PrometheusText>> ScrapeAllAsync()
    {
        var scrapes = new Dictionary<int, PrometheusText>();
        foreach (var id in Running.ToList()) scrapes[id] = await ScrapeAsync(id);
        return scrapes;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in Running.ToList().AsEnumerable().Reverse())
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
}
