using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Groups;

/// <summary>
/// Answers ListGroups for the whole cluster, from any broker. Every group that ever persisted
/// anything has persistence id <c>group-&lt;id&gt;</c> in the cluster journal, which every broker
/// reads: the read journal's CurrentPersistenceIds names them all, whether their entity runs now
/// or not, and each is asked for its protocol type and state through the shard region (a dead or
/// deleted group answers that it does not exist and is left out). Owns nothing; one per broker.
/// </summary>
public sealed class GroupListing : ReceiveActor
{
    public const string ActorName = "group-listing";

    private const string PersistenceIdPrefix = "group-";

    public GroupListing(IActorRef groupRegion, string readJournalId, TimeSpan timeout)
    {
        var materializer = Context.Materializer();
        Receive<ListGroupsRequest>(request =>
        {
            var replyTo = Sender;
            ListAsync(Context.System, groupRegion, readJournalId, timeout, materializer).PipeTo(replyTo,
                success: groups => new ListGroupsResponse(ErrorCode.None, null, groups),
                failure: e => GroupReplies.Failed(request, ErrorCode.CoordinatorNotAvailable, $"the groups could not be listed: {e.Message}"));
        });
    }

    public static Props Props(IActorRef groupRegion, string readJournalId, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new GroupListing(groupRegion, readJournalId, timeout));

    private static async Task<IReadOnlyList<ListedGroup>> ListAsync(ActorSystem system, IActorRef region, string readJournalId, TimeSpan timeout, IMaterializer materializer)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<ICurrentPersistenceIdsQuery>(readJournalId);
        var ids = await journal.CurrentPersistenceIds()
            .Where(id => id.StartsWith(PersistenceIdPrefix, StringComparison.Ordinal))
            .Select(id => id[PersistenceIdPrefix.Length..])
            .RunWith(Sink.Seq<string>(), materializer)
            .WaitAsync(timeout);
        var replies = await Task.WhenAll(ids.Distinct().Select(id =>
            region.Ask<GroupEntity.OverviewReply>(new GroupEnvelope(id, GroupEntity.Overview.Instance), timeout)));
        return replies.Select(r => r.Group).OfType<ListedGroup>().OrderBy(g => g.GroupId, StringComparer.Ordinal).ToList();
    }
}
