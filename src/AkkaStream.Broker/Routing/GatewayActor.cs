using Akka.Actor;
using Akka.Event;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Groups;
using AkkaStream.Broker.EventLogging;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Metrics;
using AkkaStream.Broker.Partitions;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.Routing;

/// <summary>
/// Where every client request enters a broker (<c>/user/gateway</c>). Produce, fetch,
/// list-offsets, offset-for-leader-epoch and delete-records go to the partition's current leader entity through the shard
/// region; group requests to the group's coordinator entity through the <c>group</c> shard region,
/// wherever it runs (so any broker serves every group), and ListGroups to this broker's
/// <see cref="GroupListing"/>; metadata and describe-cluster to the metadata cache; the cluster tooling (members, leave, down) to
/// the node's <see cref="Membership.MembershipActor"/>; administration to the controller.
/// Each request is counted (<see cref="TimedForward"/>, the broker's <c>akkastream_gateway_request_*</c>
/// metrics); group, metadata, cluster and administration answers are timed on their way back to
/// the client, while partition requests are forwarded and answered by the leader directly. Owns
/// nothing but routes: the routing reads the node's <see cref="MetadataView"/>. Writes the <c>request-refused</c> line of
/// what it refuses itself and of what the controller refuses (it knows the client; the controller
/// only sees this gateway); a partition leader writes its own.
/// </summary>
public sealed class GatewayActor : ReceiveActor
{
    private readonly int _selfBroker;
    private readonly MetadataView _metadata;
    private readonly IActorRef _region;
    private readonly RefusedRequests _refused;
    /// <summary>How long a relayed answer may take: its target answers or gives up within the admin timeout, so twice that only bounds a lost answer.</summary>
    private readonly TimeSpan _relayWait;
    private readonly TimedForward _timed;

    public GatewayActor(int selfBroker, MetadataView metadata, IActorRef region, IActorRef metadataCache, IActorRef controller, TimeSpan adminTimeout,
        IActorRef groupRegion, IActorRef groupListing, IActorRef membership, RequestMetrics metrics)
    {
        _selfBroker = selfBroker;
        _metadata = metadata;
        _region = region;
        _refused = new RefusedRequests(new EventLog(Context.GetLogger(), selfBroker));
        _relayWait = adminTimeout + adminTimeout;
        _timed = new TimedForward(metrics);
        Receive<ProduceRequest>(Route);
        Receive<FetchRequest>(Route);
        Receive<ListOffsetsRequest>(Route);
        Receive<DeleteRecordsRequest>(Route);
        Receive<OffsetForLeaderEpochRequest>(Route);
        Receive<IGroupRequest>(r =>
        {
            // Sharding cannot route an empty entity id; Kafka answers such a group id InvalidGroupId.
            if (r.GroupId.Length == 0)
            {
                _timed.AnsweredHere(r, ErrorCode.InvalidGroupId);
                Sender.Tell(GroupReplies.Failed(r, ErrorCode.InvalidGroupId, "the group id must not be empty"));
            }
            else
            {
                _timed.Ask(r, groupRegion, r, Sender, GroupWait(r));
            }
        });
        Receive<ListGroupsRequest>(r => _timed.Ask(r, groupListing, r, Sender, _relayWait));
        Receive<MetadataRequest>(r => _timed.Ask(r, metadataCache, r, Sender, _relayWait));
        Receive<DescribeClusterRequest>(r => _timed.Ask(r, metadataCache, r, Sender, _relayWait));
        Receive<DescribeMembersRequest>(r => _timed.Ask(r, membership, r, Sender, _relayWait));
        Receive<LeaveMemberRequest>(r => _timed.Ask(r, membership, r, Sender, _relayWait));
        Receive<DownMemberRequest>(r => _timed.Ask(r, membership, r, Sender, _relayWait));
        Receive<object>(AdminReplies.IsAdminRequest, request =>
        {
            var client = Sender;
            _timed.Ask(request, controller, request, client, adminTimeout,
                onTimeout: () => Refused(request, AdminReplies.Failed(request, ErrorCode.RequestTimedOut,
                    $"the controller did not answer within {adminTimeout.TotalSeconds:0.#} s")!, client),
                inspect: reply => Refused(request, reply, client));
        });
    }

    public static Props Props(int selfBroker, MetadataView metadata, IActorRef region, IActorRef metadataCache, IActorRef controller, TimeSpan adminTimeout,
        IActorRef groupRegion, IActorRef groupListing, IActorRef membership, RequestMetrics metrics) =>
        Akka.Actor.Props.Create(() => new GatewayActor(selfBroker, metadata, region, metadataCache, controller, adminTimeout, groupRegion, groupListing,
            membership, metrics));

    /// <summary>How long an answer may take: a join waits for the rebalance; every other group request is answered at once.</summary>
    private TimeSpan GroupWait(IGroupRequest request) =>
        (request is JoinGroupRequest join ? TimeSpan.FromMilliseconds(Math.Max(0, join.RebalanceTimeoutMs)) : TimeSpan.Zero) + _relayWait;

    private void Route(object request)
    {
        var (topic, partition) = PartitionReplies.Target(request)!.Value;
        var state = _metadata.Current.Partition(topic, partition);
        if (state is null)
        {
            Refuse(request, ErrorCode.UnknownTopicOrPartition, $"{topic}-{partition} does not exist (in this broker's metadata)");
            return;
        }
        if (state.Leader < 0)
        {
            Refuse(request, ErrorCode.LeaderNotAvailable, $"{topic}-{partition} has no leader at the moment");
            return;
        }
        if (state.Leader != _selfBroker)
        {
            Refuse(request, ErrorCode.NotLeaderOrFollower, $"broker {_selfBroker} does not lead {topic}-{partition}; broker {state.Leader} does");
            return;
        }
        var entityId = new PartitionEntityId(new TopicPartition(topic, partition), state.LeaderEpoch, state.Leader);
        // Forwarded, not asked: no extra hop on the data path, answers reach the client in the
        // order the leader sends them, and the leader sees (and logs) the client itself.
        _timed.Forwarded(request, _region, new PartitionEnvelope(entityId.ToString(), request));
    }

    private void Refuse(object request, ErrorCode error, string message)
    {
        var (topic, partition) = PartitionReplies.Target(request)!.Value;
        _refused.Write(request, error, topic, partition, Sender, message);
        _timed.AnsweredHere(request, error);
        // Kafka never answers a produce request with acks=0, not even with an error.
        if (request is ProduceRequest { Acks: Acks.None }) return;
        Sender.Tell(PartitionReplies.Failed(request, error, message));
    }

    /// <summary>Passes an administration reply on, writing its request-refused line when it carries an error. Runs outside the actor: the log is thread-safe.</summary>
    private object Refused(object request, object reply, IActorRef client)
    {
        if (reply is IErrorReply { Error: not ErrorCode.None } failed)
        {
            var partition = request is AlterPartitionReassignmentsRequest r ? r.Partition : -1;
            _refused.Write(request, failed.Error, AdminReplies.TopicOf(request), partition, client, failed.ErrorMessage);
        }
        return reply;
    }
}
