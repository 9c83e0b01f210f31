using AkkaStream.Broker.Groups;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Tests.Groups;

/// <summary>
/// Drives a <see cref="GroupCoordinator"/> on a fake clock: reply handles are member names, and
/// each step's replies and events are kept for the test to read.
/// </summary>
internal sealed class GroupHarness
{
    public const int SessionMs = 10_000;
    public const int RebalanceMs = 30_000;

    private readonly Dictionary<string, Queue<object>> _replies = new();

    public GroupHarness(GroupSettings? settings = null)
    {
        Coordinator = new GroupCoordinator("g", settings ?? new GroupSettings
        {
            MinSessionTimeout = TimeSpan.FromSeconds(1),
            InitialRebalanceDelay = TimeSpan.Zero,
        }, () => NowMs);
    }

    public long NowMs { get; set; } = 1_000_000;

    public GroupCoordinator Coordinator { get; }

    public List<IGroupEvent> Events { get; } = [];

    public static JoinGroupRequest JoinRequest(string memberId, string? instanceId = null, bool requireKnownMemberId = false, params GroupProtocol[] protocols) =>
        new("g", memberId, instanceId, "consumer", protocols.Length > 0 ? protocols : [new GroupProtocol("range", [1])], SessionMs, RebalanceMs, requireKnownMemberId);

    /// <summary>Runs a step and collects its effects.</summary>
    public void Send(string who, Action<GroupCoordinator> step)
    {
        _ = who;
        step(Coordinator);
        Collect();
    }

    public void Advance(long ms)
    {
        NowMs += ms;
        Coordinator.Tick();
        Collect();
    }

    public bool HasReply(string who) => _replies.TryGetValue(who, out var q) && q.Count > 0;

    public T Reply<T>(string who)
    {
        Assert.True(HasReply(who), $"{who} has no reply");
        return Assert.IsType<T>(_replies[who].Dequeue());
    }

    /// <summary>A join by a new member (no id) that completes at once.</summary>
    public JoinGroupResponse JoinNew(string who, string? instanceId = null) => Join(who, "", instanceId);

    public JoinGroupResponse Join(string who, string memberId, string? instanceId = null)
    {
        Send(who, c => c.Join(JoinRequest(memberId, instanceId), who));
        return Reply<JoinGroupResponse>(who);
    }

    public SyncGroupResponse Sync(string who, string memberId, int generation, IReadOnlyList<GroupAssignment>? assignments = null)
    {
        Send(who, c => c.Sync(new SyncGroupRequest("g", generation, memberId, null, "consumer", null, assignments ?? []), who));
        return Reply<SyncGroupResponse>(who);
    }

    public HeartbeatResponse Heartbeat(string who, string memberId, int generation, string? instanceId = null)
    {
        Send(who, c => c.Heartbeat(new HeartbeatRequest("g", generation, memberId, instanceId), who));
        return Reply<HeartbeatResponse>(who);
    }

    public SyncGroupResponse Sync(string who, string memberId, int generation, string? instanceId)
    {
        Send(who, c => c.Sync(new SyncGroupRequest("g", generation, memberId, instanceId, "consumer", null, []), who));
        return Reply<SyncGroupResponse>(who);
    }

    /// <summary>Commits as the entity does: the accepted offsets are applied once "persisted" (at once here).</summary>
    public OffsetCommitResponse Commit(int generation, string memberId, params OffsetCommitPartition[] partitions)
    {
        var decision = Coordinator.Commit(new OffsetCommitRequest("g", generation, memberId, null, partitions), (topic, _) => topic != "missing");
        if (decision.ToPersist is { } e)
        {
            Events.Add(e);
            Coordinator.Apply(e);
        }
        return decision.Reply;
    }

    public static OffsetCommitPartition Offset(string topic, int partition, long offset, string? metadata = null) => new(topic, partition, offset, -1, metadata);

    public long? Committed(string topic, int partition) =>
        Coordinator.Fetch(new OffsetFetchRequest("g", [new TopicPartitionRef(topic, partition)])).Partitions[0] is { Offset: >= 0 } o ? o.Offset : null;

    /// <summary>Two members, a and b, in a stable generation 2 (a leads); returns their member ids.</summary>
    public (string A, string B) TwoStableMembers(string? instanceA = null)
    {
        var a = JoinNew("a", instanceA);
        Send("b", c => c.Join(JoinRequest(""), "b"));
        Assert.False(HasReply("b"), "b waits until a rejoins");
        var a2 = Join("a", a.MemberId, instanceA);
        var b = Reply<JoinGroupResponse>("b");
        Assert.Equal((2, 2), (a2.GenerationId, b.GenerationId));
        Send("b", c => c.Sync(new SyncGroupRequest("g", 2, b.MemberId, null, "consumer", "range", []), "b"));
        Assert.False(HasReply("b"), "a follower waits for the leader's sync");
        var synced = Sync("a", a.MemberId, 2, [new GroupAssignment(a.MemberId, [1]), new GroupAssignment(b.MemberId, [2])]);
        Assert.Equal([1], synced.Assignment);
        Assert.Equal([2], Reply<SyncGroupResponse>("b").Assignment);
        return (a.MemberId, b.MemberId);
    }

    private void Collect()
    {
        var effects = Coordinator.Drain();
        Events.AddRange(effects.Events);
        foreach (var reply in effects.Replies)
        {
            var who = (string)reply.To;
            if (!_replies.TryGetValue(who, out var q)) _replies[who] = q = new Queue<object>();
            q.Enqueue(reply.Message);
        }
    }
}
