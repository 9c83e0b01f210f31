using System.Globalization;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Kafka.Handlers;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Kafka.Listener;

/// <summary>
/// A broker with its Kafka listener: what <c>akkastream broker</c> runs. The listener's socket is
/// bound first, so that a configured port of 0 is advertised as the port it got (the advertised
/// address travels in the broker's cluster role, fixed when its ActorSystem starts); it accepts
/// clients once the broker's gateway exists, and is stopped by the broker's coordinated shutdown,
/// before the gateway stops taking requests.
/// </summary>
public sealed class KafkaBroker : IAsyncDisposable
{
    private KafkaBroker(BrokerNode node, KafkaListener? listener, KafkaListenerSettings? settings)
    {
        Node = node;
        Listener = listener;
        ListenerSettings = settings;
    }

    public BrokerNode Node { get; }

    /// <summary>Null when <c>akkastream.kafka.enabled</c> is off.</summary>
    public KafkaListener? Listener { get; }

    public KafkaListenerSettings? ListenerSettings { get; }

    /// <exception cref="BrokerConfigException">A bad setting, the data directory in use, or a listener's port taken.</exception>
    public static async Task<KafkaBroker> StartAsync(Config config, KafkaApiHandlers? handlers = null)
    {
        var options = BrokerSettings.Create(config).Kafka;
        if (!options.Enabled) return new KafkaBroker(await BrokerNode.StartAsync(config).ConfigureAwait(false), null, null);
        const string portKey = BrokerSettings.Root + ".kafka.port";
        PortCheck.EnsureFree(portKey, options.Host, options.Port);
        KafkaListener listener;
        try
        {
            listener = KafkaListener.Bind(options.Host, options.Port);
        }
        catch (SocketException e)
        {
            throw new BrokerConfigException(portKey, $"the Kafka listener cannot bind {options.Host}:{options.Port} ({e.Message}); expected a free port (or 0 for any)", e);
        }
        try
        {
            if (options.AdvertisedPort == 0)
            {
                config = ConfigurationFactory.ParseString(string.Create(CultureInfo.InvariantCulture,
                    $"akkastream.kafka.advertised-port = {listener.Port}")).WithFallback(config);
            }
            var node = await BrokerNode.StartAsync(config).ConfigureAwait(false);
            var settings = KafkaListenerSettings.From(node.Settings.Kafka, listener.Port);
            var context = new KafkaRequestContext(node.Settings.BrokerId, node.Gateway, node.Metadata, settings, node.Settings.AdminTimeout,
                node.Metrics.KafkaRequests);
            Microsoft.Extensions.Logging.ILogger logger = new AkkaLogger(Logging.GetLogger(node.System, typeof(KafkaListener)));
            CoordinatedShutdown.Get(node.System).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-kafka-listener", async () =>
            {
                await listener.StopAsync().ConfigureAwait(false);
                return Akka.Done.Instance;
            });
            listener.Start(context, handlers ?? DefaultHandlers.Create(), logger);
            logger.LogInformation("Kafka listener of broker {BrokerId} on {Host}:{Port}, advertised as {AdvertisedHost}:{AdvertisedPort}",
                context.BrokerId, settings.Host, settings.Port, settings.AdvertisedHost, settings.AdvertisedPort);
            return new KafkaBroker(node, listener, settings);
        }
        catch
        {
            await listener.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the broker gracefully; its coordinated shutdown closes the listener first.</summary>
    public async Task StopAsync()
    {
        await Node.StopAsync().ConfigureAwait(false);
        if (Listener is not null) await Listener.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync().ConfigureAwait(false);
        if (Listener is not null) await Listener.DisposeAsync().ConfigureAwait(false);
    }
}
