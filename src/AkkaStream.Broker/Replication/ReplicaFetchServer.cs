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

    /// <summary>The fetch server of the broker at <paramref name="broker"/>'s endpoint.</summary>
    public static string PathOf(BrokerInfo broker) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"akka.tcp://{Protocol.Messages.Gateway.SystemName}@{broker.Host}:{broker.Port}/user/{ActorName}");
}
