using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Kafka.Listener;

namespace AkkaStream.Web.Hosting;

/// <summary>
/// Everything <c>akkastream broker</c> runs: the broker node, its Kafka listener and its HTTP
/// listener. The HTTP listener binds first, so that a port of 0 is published (in the broker's
/// cluster role) as the port it got and a taken port stops start-up before anything else runs; the
/// broker's coordinated shutdown stops it, before the gateway stops taking requests.
/// </summary>
public sealed class BrokerServer : IAsyncDisposable
{
    private BrokerServer(KafkaBroker broker, HttpServer? http)
    {
        Broker = broker;
        Http = http;
    }

    public KafkaBroker Broker { get; }

    public BrokerNode Node => Broker.Node;

    /// <summary>Null when <c>akkastream.http.enabled</c> is off.</summary>
    public HttpServer? Http { get; }

    /// <summary>The HTTP listener's base address (<c>http://host:port</c>), or null when it is off.</summary>
    public Uri? HttpAddress => Http is null ? null : new UriBuilder("http", Node.Settings.Http.Host, Http.Port).Uri;

    /// <exception cref="BrokerConfigException">A bad setting.</exception>
    /// <exception cref="IOException">The data directory is locked, or a listener's address cannot be bound.</exception>
    public static async Task<BrokerServer> StartAsync(Config config)
    {
        var options = BrokerSettings.Create(config).Http;
        if (!options.Enabled) return new BrokerServer(await KafkaBroker.StartAsync(config).ConfigureAwait(false), null);
        var handle = new BrokerHandle();
        var http = await HttpServer.StartAsync(options, handle).ConfigureAwait(false);
        try
        {
            if (options.PublicPort == 0)
            {
                config = ConfigurationFactory.ParseString(string.Create(CultureInfo.InvariantCulture,
                    $"akkastream.http.public-port = {http.Port}")).WithFallback(config);
            }
            var broker = await KafkaBroker.StartAsync(config).ConfigureAwait(false);
            handle.Attach(broker.Node);
            CoordinatedShutdown.Get(broker.Node.System).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-http-listener", async () =>
            {
                await http.StopAsync().ConfigureAwait(false);
                return Akka.Done.Instance;
            });
            return new BrokerServer(broker, http);
        }
        catch
        {
            await http.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the broker gracefully; its coordinated shutdown closes the listeners first.</summary>
    public async Task StopAsync()
    {
        await Broker.StopAsync().ConfigureAwait(false);
        if (Http is not null) await Http.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync().ConfigureAwait(false);
        if (Http is not null) await Http.DisposeAsync().ConfigureAwait(false);
    }
}
