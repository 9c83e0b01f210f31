using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Records.Errors;
using static AkkaStream.Kafka.IntegrationTests.Support.WireCalls;

namespace AkkaStream.Kafka.IntegrationTests.Handlers;

/// <summary>
/// The group handlers through a live listener, as a raw wire client uses them: a whole member's
/// life (find the coordinator, join, sync, heartbeat, commit, fetch, leave) at every version of
/// every group API, and the errors a member or an administrator gets (a stale generation, an
/// unknown member, too much commit metadata, describing and deleting unknown or busy groups).
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class GroupHandlerTests(KafkaBrokerFixture broker)
{
    private static readonly byte[] Subscription = "subscription"u8.ToArray();
    private static readonly byte[] Assignment = "assignment"u8.ToArray();

    /// <summary>The version of <paramref name="api"/> a cycle uses: the cycle's number, or the highest served.</summary>
    private static short VersionFor(ApiDeclaration api, int cycle)
    {
        Assert.True(SupportedApis.Default.TryGet(api.Key, out var supported));
        return (short)Math.Min(cycle, supported.Range.Highest);
    }

    private Task<MessageStruct> CallAsync(ApiDeclaration api, short version, MessageStruct body) => WireCalls.CallAsync(broker.Port, api, version, body);

    private static ErrorCode Error(MessageStruct message) => (ErrorCode)message.Get<short>("ErrorCode");

    private static MessageStruct[] Items(MessageStruct message, string field) => message.Get<object?[]>(field).Cast<MessageStruct>().ToArray();

    /// <summary>A member of one group at one set of versions.</summary>
    private sealed record Member(string Group, string Id, int Generation);

    private Task<MessageStruct> JoinAsync(short version, string group, string memberId, string? instanceId = null, int rebalanceTimeoutMs = 10_000)
    {
        var request = JoinGroupApi.Declaration.Request;
        return CallAsync(JoinGroupApi.Declaration, version, Build(request,
            ("GroupId", group), ("SessionTimeoutMs", 10_000), ("RebalanceTimeoutMs", rebalanceTimeoutMs), ("MemberId", memberId),
            ("GroupInstanceId", instanceId), ("ProtocolType", "consumer"),
            ("Protocols", new object?[] { Build(request.ElementOf("Protocols"), ("Name", "range"), ("Metadata", Subscription)) })));
    }

    /// <summary>Joins an empty group as its only member (and so its leader); from v4 the first join is told to come back with an id.</summary>
    private async Task<Member> JoinAloneAsync(short version, string group, string? instanceId = null)
    {
        var memberId = "";
        if (version >= 4 && instanceId is null)
        {
            var refused = await JoinAsync(version, group, "");
            Assert.Equal(ErrorCode.MemberIdRequired, Error(refused));
            memberId = refused.Get<string>("MemberId");
            Assert.NotEmpty(memberId);
        }
        var joined = await JoinAsync(version, group, memberId, instanceId);
        Assert.Equal(ErrorCode.None, Error(joined));
        var id = joined.Get<string>("MemberId");
        if (memberId.Length > 0) Assert.Equal(memberId, id);
        Assert.True(joined.Get<int>("GenerationId") >= 1);
        Assert.Equal("range", joined.Get<string>("ProtocolName"));
        Assert.Equal(id, joined.Get<string>("Leader"));
        var member = Assert.Single(Items(joined, "Members"));
        Assert.Equal(id, member.Get<string>("MemberId"));
        Assert.Equal(Subscription, member.Get<byte[]>("Metadata"));
        if (version >= 5) Assert.Equal(instanceId, member.Get<string?>("GroupInstanceId"));
        return new Member(group, id, joined.Get<int>("GenerationId"));
    }

    private Task<MessageStruct> SyncAsync(short version, Member member, int? generation = null)
    {
        var request = SyncGroupApi.Declaration.Request;
        return CallAsync(SyncGroupApi.Declaration, version, Build(request,
            ("GroupId", member.Group), ("GenerationId", generation ?? member.Generation), ("MemberId", member.Id),
            ("Assignments", new object?[] { Build(request.ElementOf("Assignments"), ("MemberId", member.Id), ("Assignment", Assignment)) })));
    }

    /// <summary>Joins alone and takes its assignment: a stable group of one.</summary>
    private async Task<Member> StableMemberAsync(string group, short joinVersion = 6, short syncVersion = 4)
    {
        var member = await JoinAloneAsync(joinVersion, group);
        var synced = await SyncAsync(syncVersion, member);
        Assert.Equal(ErrorCode.None, Error(synced));
        Assert.Equal(Assignment, synced.Get<byte[]>("Assignment"));
        return member;
    }

    private Task<MessageStruct> HeartbeatAsync(short version, string group, string memberId, int generation) =>
        CallAsync(HeartbeatApi.Declaration, version, Build(HeartbeatApi.Declaration.Request,
            ("GroupId", group), ("GenerationId", generation), ("MemberId", memberId)));

    private Task<MessageStruct> CommitAsync(short version, string group, int generation, string memberId, string topic,
        params (int Partition, long Offset, string? Metadata)[] offsets)
    {
        var request = OffsetCommitApi.Declaration.Request;
        var topicSchema = request.ElementOf("Topics");
        var partitions = offsets.Select(o => (object?)Build(topicSchema.ElementOf("Partitions"),
            ("PartitionIndex", o.Partition), ("CommittedOffset", o.Offset), ("CommittedLeaderEpoch", 0), ("CommitTimestamp", 1L),
            ("CommittedMetadata", o.Metadata))).ToArray();
        return CallAsync(OffsetCommitApi.Declaration, version, Build(request,
            ("GroupId", group), ("GenerationIdOrMemberEpoch", generation), ("MemberId", memberId), ("RetentionTimeMs", 60_000L),
            ("Topics", new object?[] { Build(topicSchema, ("Name", topic), ("Partitions", partitions)) })));
    }

    /// <summary>The committed offsets of the named partitions (null: every committed offset, v2+), by topic and partition.</summary>
    private async Task<(MessageStruct Response, Dictionary<(string, int), MessageStruct> Partitions)> FetchAsync(short version, string group,
        params (string Topic, int[] Partitions)[]? topics)
    {
        var request = OffsetFetchApi.Declaration.Request;
        var asked = topics?.Select(t => (object?)Build(request.ElementOf("Topics"),
            ("Name", t.Topic), ("PartitionIndexes", t.Partitions.Cast<object?>().ToArray()))).ToArray();
        var response = await CallAsync(OffsetFetchApi.Declaration, version, Build(request, ("GroupId", group), ("Topics", asked)));
        var partitions = new Dictionary<(string, int), MessageStruct>();
        foreach (var topic in Items(response, "Topics"))
        {
            foreach (var partition in Items(topic, "Partitions")) partitions.Add((topic.Get<string>("Name"), partition.Get<int>("PartitionIndex")), partition);
        }
        return (response, partitions);
    }

    private Task<MessageStruct> LeaveAsync(short version, string group, params string[] memberIds)
    {
        var request = LeaveGroupApi.Declaration.Request;
        return CallAsync(LeaveGroupApi.Declaration, version, version < 3
            ? Build(request, ("GroupId", group), ("MemberId", memberIds.Single()))
            : Build(request, ("GroupId", group), ("Members", memberIds.Select(id => (object?)Build(request.ElementOf("Members"), ("MemberId", id))).ToArray())));
    }

    private static ErrorCode[] PartitionErrors(MessageStruct commitResponse) =>
        Items(commitResponse, "Topics").SelectMany(t => Items(t, "Partitions")).Select(Error).ToArray();

    private Task<MessageStruct> DescribeAsync(short version, params string[] groups) =>
        CallAsync(DescribeGroupsApi.Declaration, version, Build(DescribeGroupsApi.Declaration.Request,
            ("Groups", groups.Cast<object?>().ToArray()), ("IncludeAuthorizedOperations", true)));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task A_member_finds_joins_syncs_heartbeats_commits_fetches_and_leaves_at_every_version(int cycle)
    {
        var group = $"wire-cycle-{cycle}-{Guid.NewGuid():N}";
        var topic = await broker.CreateTopicAsync("group-offsets", 2);

        var found = await CallAsync(FindCoordinatorApi.Declaration, VersionFor(FindCoordinatorApi.Declaration, cycle),
            Build(FindCoordinatorApi.Declaration.Request, ("Key", group)));
        Assert.Equal(ErrorCode.None, Error(found));
        Assert.Equal(broker.Broker.Node.Settings.BrokerId, found.Get<int>("NodeId"));
        Assert.Equal("127.0.0.1", found.Get<string>("Host"));
        Assert.Equal(broker.Port, found.Get<int>("Port"));

        var member = await JoinAloneAsync(VersionFor(JoinGroupApi.Declaration, cycle), group);
        var synced = await SyncAsync(VersionFor(SyncGroupApi.Declaration, cycle), member);
        Assert.Equal(ErrorCode.None, Error(synced));
        Assert.Equal(Assignment, synced.Get<byte[]>("Assignment"));
        var heartbeatVersion = VersionFor(HeartbeatApi.Declaration, cycle);
        Assert.Equal(ErrorCode.None, Error(await HeartbeatAsync(heartbeatVersion, group, member.Id, member.Generation)));

        var commitVersion = VersionFor(OffsetCommitApi.Declaration, cycle);
        (int, long, string?)[] offsets = [(0, 5 + cycle, $"meta-{cycle}"), (1, 7, null)];
        var commit = await CommitAsync(commitVersion, group, member.Generation, member.Id, topic, offsets);
        if (commitVersion == 0)
        {
            // v0 carries no membership: a standalone commit, which a group with members refuses.
            Assert.All(PartitionErrors(commit), e => Assert.Equal(ErrorCode.UnknownMemberId, e));
        }
        else
        {
            Assert.Equal([ErrorCode.None, ErrorCode.None], PartitionErrors(commit));
        }

        var leaveVersion = VersionFor(LeaveGroupApi.Declaration, cycle);
        var left = await LeaveAsync(leaveVersion, group, member.Id);
        Assert.Equal(ErrorCode.None, Error(left));
        if (leaveVersion >= 3) Assert.Equal(ErrorCode.None, Error(Assert.Single(Items(left, "Members"))));
        // Gone: the coordinator no longer knows the member.
        Assert.Equal(ErrorCode.UnknownMemberId, Error(await HeartbeatAsync(heartbeatVersion, group, member.Id, member.Generation)));
        if (commitVersion == 0)
        {
            // The group is empty now, and takes a standalone commit.
            Assert.Equal([ErrorCode.None, ErrorCode.None], PartitionErrors(await CommitAsync(0, group, -1, "", topic, offsets)));
        }

        var fetchVersion = VersionFor(OffsetFetchApi.Declaration, cycle);
        var (fetched, partitions) = await FetchAsync(fetchVersion, group, (topic, [0, 1, 2]), ("never-committed", [0]));
        if (fetchVersion >= 2) Assert.Equal(ErrorCode.None, Error(fetched));
        Assert.Equal(5 + cycle, partitions[(topic, 0)].Get<long>("CommittedOffset"));
        Assert.Equal($"meta-{cycle}", partitions[(topic, 0)].Get<string>("Metadata"));
        Assert.Equal(7, partitions[(topic, 1)].Get<long>("CommittedOffset"));
        Assert.Equal("", partitions[(topic, 1)].Get<string>("Metadata"));
        // Nothing committed: -1 and no error.
        Assert.Equal(-1, partitions[(topic, 2)].Get<long>("CommittedOffset"));
        Assert.Equal(-1, partitions[("never-committed", 0)].Get<long>("CommittedOffset"));
        Assert.All(partitions.Values, p => Assert.Equal(ErrorCode.None, Error(p)));
        if (fetchVersion >= 5)
        {
            Assert.Equal(commitVersion >= 6 ? 0 : -1, partitions[(topic, 0)].Get<int>("CommittedLeaderEpoch"));
            Assert.Equal(-1, partitions[(topic, 2)].Get<int>("CommittedLeaderEpoch"));
        }
        if (fetchVersion >= 2)
        {
            var (all, allPartitions) = await FetchAsync(fetchVersion, group, null);
            Assert.Equal(ErrorCode.None, Error(all));
            Assert.Equal([(topic, 0), (topic, 1)], allPartitions.Keys.Order());
            Assert.Equal(7, allPartitions[(topic, 1)].Get<long>("CommittedOffset"));
        }
    }

    [Fact]
    public async Task A_stale_generation_is_refused_with_IllegalGeneration()
    {
        var topic = await broker.CreateTopicAsync("group-stale", 1);
        var member = await StableMemberAsync($"stale-{Guid.NewGuid():N}");
        var stale = member.Generation + 1;

        Assert.Equal(ErrorCode.IllegalGeneration, Error(await HeartbeatAsync(4, member.Group, member.Id, stale)));
        Assert.Equal(ErrorCode.IllegalGeneration, Error(await SyncAsync(4, member, stale)));
        Assert.Equal([ErrorCode.IllegalGeneration], PartitionErrors(await CommitAsync(8, member.Group, stale, member.Id, topic, (0, 3, null))));
        var (_, partitions) = await FetchAsync(7, member.Group, (topic, [0]));
        Assert.Equal(-1, partitions[(topic, 0)].Get<long>("CommittedOffset"));
        // The member itself, at its own generation, is still fine.
        Assert.Equal(ErrorCode.None, Error(await HeartbeatAsync(4, member.Group, member.Id, member.Generation)));
    }

    [Fact]
    public async Task An_unknown_member_is_refused_with_UnknownMemberId()
    {
        var topic = await broker.CreateTopicAsync("group-unknown-member", 1);
        var member = await StableMemberAsync($"unknown-member-{Guid.NewGuid():N}");
        var stranger = member with { Id = "stranger" };

        for (short version = 0; version <= 4; version++)
        {
            Assert.Equal(ErrorCode.UnknownMemberId, Error(await HeartbeatAsync(version, member.Group, stranger.Id, member.Generation)));
            Assert.Equal(ErrorCode.UnknownMemberId, Error(await SyncAsync(version, stranger)));
        }
        Assert.Equal([ErrorCode.UnknownMemberId], PartitionErrors(await CommitAsync(8, member.Group, member.Generation, stranger.Id, topic, (0, 3, null))));
        // LeaveGroup: v0-2 answer the member's error at the top, v3+ per member.
        Assert.Equal(ErrorCode.UnknownMemberId, Error(await LeaveAsync(2, member.Group, stranger.Id)));
        var left = await LeaveAsync(4, member.Group, stranger.Id, member.Id);
        Assert.Equal(ErrorCode.None, Error(left));
        Assert.Equal([(stranger.Id, ErrorCode.UnknownMemberId), (member.Id, ErrorCode.None)],
            Items(left, "Members").Select(m => (m.Get<string>("MemberId"), Error(m))));
    }

    [Fact]
    public async Task Commit_metadata_beyond_the_limit_is_refused_with_OffsetMetadataTooLarge()
    {
        var topic = await broker.CreateTopicAsync("group-metadata", 2);
        var member = await StableMemberAsync($"metadata-{Guid.NewGuid():N}");
        var oversized = new string('m', 4097);

        var commit = await CommitAsync(8, member.Group, member.Generation, member.Id, topic, (0, 3, oversized), (1, 4, "fits"));
        var errors = Items(Assert.Single(Items(commit, "Topics")), "Partitions").ToDictionary(p => p.Get<int>("PartitionIndex"), Error);
        Assert.Equal(ErrorCode.OffsetMetadataTooLarge, errors[0]);
        Assert.Equal(ErrorCode.None, errors[1]);
        var (_, partitions) = await FetchAsync(7, member.Group, (topic, [0, 1]));
        Assert.Equal(-1, partitions[(topic, 0)].Get<long>("CommittedOffset"));
        Assert.Equal(4, partitions[(topic, 1)].Get<long>("CommittedOffset"));
    }

    [Fact]
    public async Task DescribeGroups_at_every_version_describes_members_with_their_client_and_an_unknown_group_as_dead()
    {
        var member = await StableMemberAsync($"described-{Guid.NewGuid():N}");
        for (short version = 0; version <= 5; version++)
        {
            var groups = Items(await DescribeAsync(version, member.Group, "no-such-group"), "Groups");
            Assert.Equal([member.Group, "no-such-group"], groups.Select(g => g.Get<string>("GroupId")));

            var described = groups[0];
            Assert.Equal(ErrorCode.None, Error(described));
            Assert.Equal("Stable", described.Get<string>("GroupState"));
            Assert.Equal("consumer", described.Get<string>("ProtocolType"));
            Assert.Equal("range", described.Get<string>("ProtocolData"));
            var only = Assert.Single(Items(described, "Members"));
            Assert.Equal(member.Id, only.Get<string>("MemberId"));
            // The member joined over a connection from 127.0.0.1 with the wire client's client id in its request header.
            Assert.Equal(("wire-test", "/127.0.0.1"), (only.Get<string>("ClientId"), only.Get<string>("ClientHost")));
            Assert.Equal(Subscription, only.Get<byte[]>("MemberMetadata"));
            Assert.Equal(Assignment, only.Get<byte[]>("MemberAssignment"));
            if (version >= 3) Assert.Equal((1 << 3) | (1 << 6) | (1 << 8), described.Get<int>("AuthorizedOperations"));

            // As Kafka answers up to v5: a group that does not exist is Dead, with no error.
            var unknown = groups[1];
            Assert.Equal(ErrorCode.None, Error(unknown));
            Assert.Equal("Dead", unknown.Get<string>("GroupState"));
            Assert.Empty(Items(unknown, "Members"));
        }
    }

    [Fact]
    public async Task A_static_member_is_described_with_its_instance_id()
    {
        var group = $"static-{Guid.NewGuid():N}";
        var member = await JoinAloneAsync(5, group, "instance-1");
        Assert.Equal(ErrorCode.None, Error(await SyncAsync(4, member)));
        var described = Assert.Single(Items(await DescribeAsync(4, group), "Groups"));
        Assert.Equal("instance-1", Assert.Single(Items(described, "Members")).Get<string?>("GroupInstanceId"));
    }

    [Fact]
    public async Task DeleteGroups_at_every_version_deletes_empty_groups_only()
    {
        for (short version = 0; version <= 2; version++)
        {
            var busy = await StableMemberAsync($"busy-v{version}-{Guid.NewGuid():N}");
            var emptied = await StableMemberAsync($"emptied-v{version}-{Guid.NewGuid():N}");
            Assert.Equal(ErrorCode.None, Error(await LeaveAsync(4, emptied.Group, emptied.Id)));

            var response = await CallAsync(DeleteGroupsApi.Declaration, version, Build(DeleteGroupsApi.Declaration.Request,
                ("GroupsNames", new object?[] { busy.Group, emptied.Group, "never-existed" })));
            var results = Items(response, "Results").ToDictionary(r => r.Get<string>("GroupId"), Error);
            Assert.Equal(ErrorCode.NonEmptyGroup, results[busy.Group]);
            Assert.Equal(ErrorCode.None, results[emptied.Group]);
            Assert.Equal(ErrorCode.GroupIdNotFound, results["never-existed"]);

            var states = Items(await DescribeAsync(5, busy.Group, emptied.Group), "Groups").Select(g => g.Get<string>("GroupState"));
            Assert.Equal(["Stable", "Dead"], states);
        }
    }

    [Fact]
    public async Task ListGroups_at_every_version_lists_groups_and_v4_filters_by_state()
    {
        var member = await StableMemberAsync($"listed-{Guid.NewGuid():N}");
        var request = ListGroupsApi.Declaration.Request;
        for (short version = 0; version <= 4; version++)
        {
            var response = await CallAsync(ListGroupsApi.Declaration, version, request.NewDefault());
            Assert.Equal(ErrorCode.None, Error(response));
            var listed = Assert.Single(Items(response, "Groups"), g => g.Get<string>("GroupId") == member.Group);
            Assert.Equal("consumer", listed.Get<string>("ProtocolType"));
            if (version >= 4) Assert.Equal("Stable", listed.Get<string>("GroupState"));
        }
        async Task<string[]> ListedIn(params string[] states) =>
            Items(await CallAsync(ListGroupsApi.Declaration, 4, Build(request, ("StatesFilter", states.Cast<object?>().ToArray()))), "Groups")
                .Select(g => g.Get<string>("GroupId")).ToArray();
        Assert.Contains(member.Group, await ListedIn("stable"));
        Assert.Contains(member.Group, await ListedIn("Empty", "Stable"));
        Assert.DoesNotContain(member.Group, await ListedIn("Empty"));
    }

    [Fact]
    public async Task A_join_waits_for_the_other_members_beyond_the_ask_timeout_within_its_rebalance_timeout()
    {
        var group = $"slow-rejoin-{Guid.NewGuid():N}";
        var askTimeout = broker.Broker.Node.Settings.AdminTimeout;
        var rebalanceTimeoutMs = (int)(askTimeout + TimeSpan.FromSeconds(15)).TotalMilliseconds;
        async Task<string> KnownIdAsync()
        {
            var refused = await JoinAsync(6, group, "", rebalanceTimeoutMs: rebalanceTimeoutMs);
            Assert.Equal(ErrorCode.MemberIdRequired, Error(refused));
            return refused.Get<string>("MemberId");
        }
        var firstId = await KnownIdAsync();
        var joined = await JoinAsync(6, group, firstId, rebalanceTimeoutMs: rebalanceTimeoutMs);
        Assert.Equal(ErrorCode.None, Error(joined));
        var first = new Member(group, firstId, joined.Get<int>("GenerationId"));
        Assert.Equal(ErrorCode.None, Error(await SyncAsync(4, first)));

        // A second member's join waits until the first joins again. The first member only heartbeats
        // (kept alive, told a rebalance is under way) for longer than the listener's ask timeout.
        var second = JoinAsync(6, group, await KnownIdAsync(), rebalanceTimeoutMs: rebalanceTimeoutMs);
        var waitUntil = DateTime.UtcNow + askTimeout + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < waitUntil)
        {
            Assert.Contains(Error(await HeartbeatAsync(4, group, first.Id, first.Generation)), new[] { ErrorCode.None, ErrorCode.RebalanceInProgress });
            await Task.Delay(500);
        }
        Assert.False(second.IsCompleted, $"the second join is still waiting after {askTimeout.TotalSeconds + 2} s");

        var rejoined = await JoinAsync(6, group, first.Id, rebalanceTimeoutMs: rebalanceTimeoutMs);
        Assert.Equal(ErrorCode.None, Error(rejoined));
        Assert.Equal(ErrorCode.None, Error(await second));
        Assert.Equal(rejoined.Get<int>("GenerationId"), (await second).Get<int>("GenerationId"));
        Assert.True(rejoined.Get<int>("GenerationId") > first.Generation);
    }

    [Fact]
    public async Task A_group_level_error_goes_where_each_version_carries_it()
    {
        // An empty group id is refused for the whole request (InvalidGroupId).
        var topic = await broker.CreateTopicAsync("group-level-error", 1);
        for (short version = 0; version <= 7; version++)
        {
            var (fetched, partitions) = await FetchAsync(version, "", (topic, [0]));
            // v0-1 have no top-level error: it goes on every partition; v2+ carry it at the top.
            Assert.Equal(version >= 2 ? ErrorCode.None : ErrorCode.InvalidGroupId, Error(partitions[(topic, 0)]));
            if (version >= 2) Assert.Equal(ErrorCode.InvalidGroupId, Error(fetched));
        }
        Assert.Equal([ErrorCode.InvalidGroupId], PartitionErrors(await CommitAsync(8, "", -1, "", topic, (0, 1, null))));
        Assert.Equal(ErrorCode.InvalidGroupId, Error(await JoinAsync(0, "", "")));
        Assert.Equal(ErrorCode.InvalidGroupId, Error(await LeaveAsync(0, "", "someone")));
    }

    [Fact]
    public async Task FindCoordinator_refuses_transaction_coordinators()
    {
        for (short version = 1; version <= 3; version++)
        {
            var found = await CallAsync(FindCoordinatorApi.Declaration, version,
                Build(FindCoordinatorApi.Declaration.Request, ("Key", "a-transactional-id"), ("KeyType", (sbyte)1)));
            Assert.Equal(ErrorCode.InvalidRequest, Error(found));
            Assert.Equal(-1, found.Get<int>("NodeId"));
            Assert.Contains("key type 1", found.Get<string>("ErrorMessage"));
        }
    }

    [Fact]
    public async Task A_second_member_joins_and_the_leader_sees_both_subscriptions()
    {
        var group = $"pair-{Guid.NewGuid():N}";
        var first = await StableMemberAsync(group);
        // The second join starts a rebalance; the first member learns of it from its heartbeat and joins again.
        var refused = await JoinAsync(6, group, "");
        Assert.Equal(ErrorCode.MemberIdRequired, Error(refused));
        var joining = JoinAsync(6, group, refused.Get<string>("MemberId"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Error(await HeartbeatAsync(4, group, first.Id, first.Generation)) != ErrorCode.RebalanceInProgress)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first member is told to rejoin in time");
            await Task.Delay(100);
        }
        var rejoined = await JoinAsync(6, group, first.Id);
        var second = await joining;
        Assert.Equal(ErrorCode.None, Error(rejoined));
        Assert.Equal(ErrorCode.None, Error(second));
        Assert.Equal(rejoined.Get<int>("GenerationId"), second.Get<int>("GenerationId"));
        Assert.True(rejoined.Get<int>("GenerationId") > first.Generation);
        var leader = rejoined.Get<string>("Leader");
        Assert.Equal(leader, second.Get<string>("Leader"));
        var leaderResponse = leader == first.Id ? rejoined : second;
        var followerResponse = leader == first.Id ? second : rejoined;
        Assert.Equal(2, Items(leaderResponse, "Members").Length);
        Assert.Empty(Items(followerResponse, "Members"));
    }
}
