using Akka.Actor;
using Akka.Configuration;
using AkkaStream.Client.Admin;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Consumer;
using AkkaStream.Client.Groups;
using AkkaStream.Client.Internal;
using AkkaStream.Client.Metadata;
using AkkaStream.Client.Producer;
using AkkaStream.Protocol.Serialization;

namespace AkkaStream.Client;

/// <summary>
/// The entry point of the actor client: an ActorSystem that reaches brokers over Akka.Remote
/// (never a cluster member, so it cannot affect broker liveness), the metadata actor, and the
/// producers, consumers and admin made from them. Thread-safe.
/// <code>
/// await using var client = AkkaStreamClient.Create(ConfigurationFactory.ParseString(
///     "akkastream.client.bootstrap-servers = [\"10.0.0.5:2552\"]"));
/// await using var producer = client.CreateProducer();
/// var report = await producer.ProduceAsync("orders", "key", "value");
/// </code>
/// </summary>
public sealed class AkkaStreamClient : IAsyncDisposable
{
    /// <summary>The client's own ActorSystem: remote provider, loopback, any free port.</summary>
    private const string OwnSystemConfig = """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp {
          hostname = 127.0.0.1
          port = 0
        }
        akka.loglevel = WARNING
        """;

    private static int _instances;
    private readonly bool _ownsSystem;
    private readonly GatewayRequests _requests;
    private readonly string _namePrefix;
    private int _children;

    private AkkaStreamClient(ActorSystem system, ClientSettings settings, bool ownsSystem)
    {
        System = system;
        Settings = settings;
        _ownsSystem = ownsSystem;
        _namePrefix = $"akkastream-client-{Interlocked.Increment(ref _instances)}";
        Metadata = system.ActorOf(MetadataActor.Props(settings), $"{_namePrefix}-metadata");
        _requests = new GatewayRequests(system, Metadata, settings);
        Admin = new AkkaStreamAdmin(_requests);
    }

    public ActorSystem System { get; }

    public ClientSettings Settings { get; }

    /// <summary>The <see cref="MetadataActor"/>.</summary>
    public IActorRef Metadata { get; }

    public AkkaStreamAdmin Admin { get; }

    /// <summary>
    /// Starts a client in its own ActorSystem. <paramref name="config"/> may set
    /// <c>akkastream.client</c> settings and override the system's Akka settings (for example
    /// <c>akka.remote.dot-netty.tcp.hostname</c> when brokers are on other machines).
    /// </summary>
    public static AkkaStreamClient Create(Config? config = null)
    {
        var full = (config ?? Config.Empty)
            .WithFallback(ConfigurationFactory.ParseString(OwnSystemConfig))
            .WithFallback(ProtocolSerialization.Config)
            .WithFallback(ClientSettings.DefaultConfig);
        var system = ActorSystem.Create("akkastream-client", full);
        return new AkkaStreamClient(system, ClientSettings.Create(full), ownsSystem: true);
    }

    /// <summary>
    /// Starts a client inside an application's ActorSystem. To reach remote brokers, that system
    /// must use the remote (or cluster) provider and include <see cref="ProtocolSerialization.Hocon"/>.
    /// </summary>
    public static AkkaStreamClient Create(ActorSystem system, ClientSettings? settings = null) =>
        new(system, settings ?? ClientSettings.Create(system.Settings.Config), ownsSystem: false);

    public AkkaStreamProducer CreateProducer(ProducerSettings? settings = null)
    {
        var clientSettings = settings is null ? Settings : Settings with { Producer = settings };
        var inbox = new ProduceInbox();
        var actor = System.ActorOf(ProducerActor.Props(clientSettings, Metadata, inbox), NextName("producer"));
        inbox.Actor = actor;
        return new AkkaStreamProducer(actor, inbox, clientSettings.Producer.DeliveryTimeout + clientSettings.RequestTimeout, clientSettings.RequestTimeout);
    }

    public AkkaStreamConsumer CreateConsumer(ConsumerSettings? settings = null)
    {
        var clientSettings = settings is null ? Settings : Settings with { Consumer = settings };
        var actor = System.ActorOf(ConsumerActor.Props(clientSettings, Metadata), NextName("consumer"));
        return new AkkaStreamConsumer(actor, _requests);
    }

    /// <summary>
    /// A member of consumer group <paramref name="groupId"/> (or the settings' group-id); it joins
    /// once subscribed. <paramref name="listener"/> hears of the partitions each rebalance moves.
    /// </summary>
    public AkkaStreamGroupConsumer CreateGroupConsumer(string? groupId = null, ConsumerSettings? settings = null, IGroupRebalanceListener? listener = null)
    {
        var clientSettings = settings is null ? Settings : Settings with { Consumer = settings };
        var group = string.IsNullOrEmpty(groupId) ? clientSettings.Consumer.Group.GroupId : groupId;
        var actor = System.ActorOf(GroupConsumerActor.Props(clientSettings, Metadata, group), NextName("group-consumer"));
        return new AkkaStreamGroupConsumer(actor, group, clientSettings.RequestTimeout, listener);
    }

    /// <summary>A reader of partition pages for tools that browse a partition; it needs no actor of its own.</summary>
    public PartitionBrowser CreateBrowser() => new(_requests);

    private string NextName(string kind) => $"{_namePrefix}-{kind}-{Interlocked.Increment(ref _children)}";

    /// <summary>Stops the metadata actor, and the ActorSystem when the client started it.</summary>
    public async ValueTask DisposeAsync()
    {
        System.Stop(Metadata);
        if (_ownsSystem)
        {
            await System.Terminate().ConfigureAwait(false);
        }
    }
}
