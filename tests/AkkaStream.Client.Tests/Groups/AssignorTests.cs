using AkkaStream.Client.Groups;
using AkkaStream.Client.Groups.Assignors;
using AkkaStream.Client.Groups.Protocol;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Tests.Groups;

/// <summary>Range and roundrobin lay partitions out as Kafka's do; every assignor assigns each partition exactly once and balances equal subscriptions.</summary>
public sealed class AssignorTests
{
    private static readonly Dictionary<string, int> T0T1Three = new() { ["t0"] = 3, ["t1"] = 3 };

    internal static AssignorMember Member(string id, string[] topics, string? instance = null, TopicPartition[]? owned = null, int generation = -1) =>
        new(id, instance, new ConsumerProtocolSubscription(topics, null, owned ?? [], generation));

    private static TopicPartition P(string topic, int partition) => new(topic, partition);

    [Fact]
    public void Range_gives_each_member_a_consecutive_range_per_topic_the_first_members_one_more()
    {
        var result = new RangeAssignor().Assign(T0T1Three, [Member("c1", ["t0", "t1"]), Member("c0", ["t0", "t1"])]);

        Assert.Equal([P("t0", 0), P("t0", 1), P("t1", 0), P("t1", 1)], result["c0"]);
        Assert.Equal([P("t0", 2), P("t1", 2)], result["c1"]);
    }

    [Fact]
    public void Range_orders_static_members_by_instance_id_before_dynamic_members()
    {
        var result = new RangeAssignor().Assign(new Dictionary<string, int> { ["t"] = 5 },
            [Member("a-dynamic", ["t"]), Member("z-member", ["t"], instance: "i-1"), Member("b-member", ["t"], instance: "i-2")]);

        Assert.Equal([P("t", 0), P("t", 1)], result["z-member"]);
        Assert.Equal([P("t", 2), P("t", 3)], result["b-member"]);
        Assert.Equal([P("t", 4)], result["a-dynamic"]);
    }

    [Fact]
    public void Roundrobin_deals_all_partitions_in_turn()
    {
        var result = new RoundRobinAssignor().Assign(T0T1Three, [Member("c0", ["t0", "t1"]), Member("c1", ["t0", "t1"])]);

        Assert.Equal([P("t0", 0), P("t0", 2), P("t1", 1)], result["c0"]);
        Assert.Equal([P("t0", 1), P("t1", 0), P("t1", 2)], result["c1"]);
    }

    [Fact]
    public void Roundrobin_skips_members_not_subscribed_to_the_topic()
    {
        // Kafka's documented example: C0 on t0, C1 on t0 and t1, C2 on t0, t1 and t2.
        var result = new RoundRobinAssignor().Assign(new Dictionary<string, int> { ["t0"] = 1, ["t1"] = 2, ["t2"] = 3 },
            [Member("C0", ["t0"]), Member("C1", ["t0", "t1"]), Member("C2", ["t0", "t1", "t2"])]);

        Assert.Equal([P("t0", 0)], result["C0"]);
        Assert.Equal([P("t1", 0)], result["C1"]);
        Assert.Equal([P("t1", 1), P("t2", 0), P("t2", 1), P("t2", 2)], result["C2"]);
    }

    [Fact]
    public void Topics_not_in_the_metadata_get_no_partitions()
    {
        foreach (var assignor in Assignors())
        {
            var result = assignor.Assign(new Dictionary<string, int> { ["known"] = 2 }, [Member("m", ["known", "missing"])]);
            Assert.Equal([P("known", 0), P("known", 1)], result["m"].Order());
        }
    }

    public static TheoryData<string> AssignorNames() => new() { "range", "roundrobin", "cooperative-sticky" };

    [Theory]
    [MemberData(nameof(AssignorNames))]
    public void Every_partition_is_assigned_exactly_once_and_equal_subscriptions_are_balanced(string name)
    {
        var assignor = PartitionAssignors.ByName(name);
        var random = new Random(name.Length * 7919);
        for (var round = 0; round < 200; round++)
        {
            var topics = Enumerable.Range(0, random.Next(1, 5)).ToDictionary(t => $"topic-{t}", _ => random.Next(1, 20));
            var members = Enumerable.Range(0, random.Next(1, 9)).Select(m => Member($"m-{random.Next(1000)}-{m}", topics.Keys.ToArray())).ToList();

            var result = assignor.Assign(topics, members);

            var all = result.Values.SelectMany(p => p).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
            Assert.Equal(topics.Sum(t => t.Value), all.Count);
            Assert.Equal(members.Count, result.Count);
            if (name != "range")
            {
                // Range balances per topic only (its first members get the extra partition of every topic).
                Assert.True(result.Values.Max(p => p.Count) - result.Values.Min(p => p.Count) <= 1, $"{name} unbalanced: {Describe(result)}");
            }
            else
            {
                foreach (var topic in topics.Keys)
                {
                    var counts = result.Values.Select(p => p.Count(tp => tp.Topic == topic)).ToList();
                    Assert.True(counts.Max() - counts.Min() <= 1, $"range unbalanced on {topic}: {Describe(result)}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AssignorNames))]
    public void Members_get_only_partitions_of_topics_they_subscribe_to(string name)
    {
        var assignor = PartitionAssignors.ByName(name);
        var topics = new Dictionary<string, int> { ["a"] = 4, ["b"] = 3, ["c"] = 5 };
        var members = new[] { Member("m1", ["a"]), Member("m2", ["a", "b"]), Member("m3", ["b", "c"]), Member("m4", ["c"]) };

        var result = assignor.Assign(topics, members);

        foreach (var member in members)
        {
            Assert.All(result[member.MemberId], tp => Assert.Contains(tp.Topic, member.Subscription.Topics));
        }
        Assert.Equal(12, result.Values.SelectMany(p => p).Distinct().Count());
    }

    [Fact]
    public void An_unknown_strategy_is_refused_as_invalid_config()
    {
        var e = Assert.Throws<AkkaStreamException>(() => PartitionAssignors.ByName("sticky-ish"));
        Assert.Equal(ErrorCode.InvalidConfig, e.Code);
    }

    [Fact]
    public void The_consumer_rebalances_cooperatively_only_when_every_assignor_is_cooperative()
    {
        Assert.Equal(RebalanceProtocol.Eager, PartitionAssignors.CommonProtocol([new RangeAssignor(), new CooperativeStickyAssignor()]));
        Assert.Equal(RebalanceProtocol.Cooperative, PartitionAssignors.CommonProtocol([new CooperativeStickyAssignor()]));
    }

    private static IEnumerable<IPartitionAssignor> Assignors() => [new RangeAssignor(), new RoundRobinAssignor(), new CooperativeStickyAssignor()];

    internal static string Describe(IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> result) =>
        string.Join("; ", result.Select(kv => $"{kv.Key}: {string.Join(",", kv.Value)}"));
}
