using AkkaStream.Broker.Tests.Support;
using AkkaStream.Web.Hosting;

namespace AkkaStream.Web.Tests.Support;

/// <summary>
/// A real broker with its Kafka and HTTP listeners (what <c>akkastream broker</c> runs) on free
/// ports, with its data and journal in a temp directory, and an HTTP client for its listener.
/// </summary>
public sealed class WebBroker : IAsyncDisposable
{
    private readonly TempDir? _dir;

    private WebBroker(TempDir? dir, BrokerServer server)
    {
        _dir = dir;
        Server = server;
        Http = new HttpClient { BaseAddress = server.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public BrokerServer Server { get; }

    public HttpClient Http { get; }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (the broker has metadata naming it; Kafka clients can be served).</summary>
    public Task WhenReadyAsync() => Eventually.True(async () => (await Http.GetAsync("/health/ready")).IsSuccessStatusCode,
        TimeSpan.FromSeconds(60), "the broker reports ready");

    /// <summary>The broker's <c>/metrics</c> now.</summary>
    public Task<PrometheusText> ScrapeAsync() => PrometheusText.ScrapeAsync(Http);

    /// <summary>A broker alone in its own cluster, in a temp directory of its own.</summary>
    public static async Task<WebBroker> StartAsync(params string[] settings)
    {
        var dir = new TempDir();
        try
        {
            return await StartAsync(dir, 1, null, settings, ownsDir: true);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Broker <paramref name="brokerId"/> with its data under <paramref name="dir"/> and the journal
    /// every broker there shares, joining the cluster at <paramref name="seed"/> (or starting one).
    /// </summary>
    public static async Task<WebBroker> StartAsync(TempDir dir, int brokerId, string? seed, string[] settings, bool ownsDir = false)
    {
        var config = Nodes.Config(dir.Sub($"data-{brokerId}"), brokerId, dir.Sub("cluster.db"), seed,
            ["akkastream.kafka.port = 0", "akkastream.http.port = 0", .. settings]);
        return new WebBroker(ownsDir ? dir : null, await BrokerServer.StartAsync(config));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _dir?.Dispose();
    }
}
