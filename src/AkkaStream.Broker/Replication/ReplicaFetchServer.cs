using Akka.Actor;
using AkkaStream.Broker.Metadata;

namespace AkkaStream.Broker.Replication;

/// <summary>
/// Where followers' fetch sessions reach a leader broker (<c>/user/replica-fetch</c>): each
/// <see cref="ReplicaFetchRequest"/> goes to the <see cref="ReplicaFetchSession"/> of its follower
/// broker, a child started by the first one, which asks this broker's leader entities and answers.
/// </summary>
public sealed class ReplicaFetchServer : ReceiveActor
{
    public const string ActorName = "replica-fetch";

    public ReplicaFetchServer(int selfBroker, MetadataView metadata, IActorRef region)
    {
        Receive<ReplicaFetchRequest>(request =>
        {
            var name = $"follower-{request.FollowerBroker}";
            var session = Context.Child(name);
            if (session.IsNobody()) session = Context.ActorOf(ReplicaFetchSession.Props(selfBroker, metadata, region), name);
            session.Forward(request);
        });
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
