using Akka.Actor;
using AkkaStream.Broker.Metadata;

namespace AkkaStream.Broker.Replication;

/// <summary>
/// Where followers' fetch sessions reach a leader broker (<c>/user/replica-fetch</c>). Owns
/// nothing: each <see cref="ReplicaFetchRequest"/> gets its own <see cref="ReplicaFetchRound"/>,
/// which asks this broker's leader entities and answers the follower once.
/// </summary>
public sealed class ReplicaFetchServer : ReceiveActor
{
    public const string ActorName = "replica-fetch";

    public ReplicaFetchServer(int selfBroker, MetadataView metadata, IActorRef region)
    {
        Receive<ReplicaFetchRequest>(request =>
            Context.ActorOf(ReplicaFetchRound.Props(request, Sender, selfBroker, metadata, region)));
    }

    public static Props Props(int selfBroker, MetadataView metadata, IActorRef region) =>
        Akka.Actor.Props.Create(() => new ReplicaFetchServer(selfBroker, metadata, region));

    /// <summary>
    /// The fetch server of the broker at <paramref name="broker"/>'s endpoint, reached with
    /// <paramref name="protocol"/>: the follower's own (every broker of a cluster runs the same
    /// transport, and with adapters such as the throttler it is not plain <c>akka.tcp</c>).
    /// </summary>
    public static string PathOf(BrokerInfo broker, string protocol) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{protocol}://{Protocol.Messages.Gateway.SystemName}@{broker.Host}:{broker.Port}/user/{ActorName}");
}
