using AkkaStream.Client.Groups.Assignors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Tests.Groups;

/// <summary>
/// Cooperative-sticky over whole sequences of rebalances, played the way members play them: each
/// member revokes what its assignment leaves out before the next generation, and reports what it
/// owns when it rejoins. Checked: no partition is ever held by two members, a partition that stays
/// with a member is never revoked, and the group ends balanced.
/// </summary>
public sealed class CooperativeStickyAssignorTests
{
    private readonly CooperativeStickyAssignor _assignor = new();

    /// <summary>A group of members and what each owns, advanced one generation at a time.</summary>
    private sealed class Group(IReadOnlyDictionary<string, int> topics)
    {
        public Dictionary<string, HashSet<TopicPartition>> Owned { get; } = [];

        public int Generation { get; private set; }

        public List<TopicPartition> RevokedThenKept { get; } = [];

        public int Rebalance(IPartitionAssignor assignor)
        {
            Generation++;
            var members = Owned.Select(kv => AssignorTests.Member(kv.Key, topics.Keys.ToArray(), owned: kv.Value.ToArray(), generation: Generation - 1)).ToList();
            var result = assignor.Assign(topics, members);
            var revokedCount = 0;
            foreach (var (member, assigned) in result)
            {
                var revoked = Owned[member].Except(assigned).ToList();
                revokedCount += revoked.Count;
                RevokedThenKept.AddRange(revoked.Where(assigned.Contains));
                Owned[member] = assigned.ToHashSet();
            }
            var all = Owned.Values.SelectMany(p => p).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
            return revokedCount;
        }

        /// <summary>Rebalances until no member revokes anything (the follow-up rebalances), at most a few times.</summary>
        public void Settle(IPartitionAssignor assignor)
        {
            for (var i = 0; i < 4; i++)
            {
                if (Rebalance(assignor) == 0)
                {
                    return;
                }
            }
            Assert.Fail("still revoking after 4 rebalances");
        }
    }

    [Fact]
    public void A_fourth_member_takes_one_partition_from_each_of_three_in_two_rebalances()
    {
        var group = new Group(new Dictionary<string, int> { ["t"] = 12 });
        foreach (var m in new[] { "a", "b", "c" })
        {
            group.Owned[m] = [];
        }
        group.Settle(_assignor);
        Assert.All(group.Owned.Values, p => Assert.Equal(4, p.Count));
        var before = group.Owned.ToDictionary(kv => kv.Key, kv => kv.Value.ToHashSet());

        group.Owned["d"] = [];
        var revoked = group.Rebalance(_assignor);

        Assert.Equal(3, revoked);
        Assert.Empty(group.Owned["d"]);
        Assert.All(new[] { "a", "b", "c" }, m => Assert.Equal(3, group.Owned[m].Count));

        group.Settle(_assignor);
        Assert.All(group.Owned.Values, p => Assert.Equal(3, p.Count));
        foreach (var m in new[] { "a", "b", "c" })
        {
            Assert.Subset(before[m], group.Owned[m]);
        }
    }

    [Fact]
    public void When_a_member_leaves_the_others_keep_theirs_and_share_its_partitions()
    {
        var group = new Group(new Dictionary<string, int> { ["t"] = 12 });
        foreach (var m in new[] { "a", "b", "c", "d" })
        {
            group.Owned[m] = [];
        }
        group.Settle(_assignor);
        var before = group.Owned.ToDictionary(kv => kv.Key, kv => kv.Value.ToHashSet());

        group.Owned.Remove("b");
        var revoked = group.Rebalance(_assignor);

        Assert.Equal(0, revoked);
        Assert.All(group.Owned.Values, p => Assert.Equal(4, p.Count));
        foreach (var m in new[] { "a", "c", "d" })
        {
            Assert.Subset(group.Owned[m], before[m]);
        }
    }

    [Fact]
    public void Random_joins_and_leaves_never_share_a_partition_never_revoke_one_that_stays_and_end_balanced()
    {
        var random = new Random(6);
        var topics = new Dictionary<string, int> { ["x"] = 7, ["y"] = 11, ["z"] = 3 };
        var group = new Group(topics);
        var next = 0;
        for (var step = 0; step < 150; step++)
        {
            if (group.Owned.Count <= 1 || (group.Owned.Count < 8 && random.Next(2) == 0))
            {
                group.Owned[$"m{next++:D3}"] = [];
            }
            else
            {
                group.Owned.Remove(group.Owned.Keys.ElementAt(random.Next(group.Owned.Count)));
            }
            group.Settle(_assignor);

            var counts = group.Owned.Values.Select(p => p.Count).ToList();
            Assert.True(counts.Max() - counts.Min() <= 1, $"unbalanced after step {step}: {string.Join(",", counts)}");
            Assert.Equal(21, counts.Sum());
        }
        Assert.Empty(group.RevokedThenKept);
    }

    [Fact]
    public void A_claim_from_an_older_generation_loses_to_the_newer_one()
    {
        var topics = new Dictionary<string, int> { ["t"] = 2 };
        var stale = AssignorTests.Member("stale", ["t"], owned: [new TopicPartition("t", 0), new TopicPartition("t", 1)], generation: 3);
        var current = AssignorTests.Member("current", ["t"], owned: [new TopicPartition("t", 0)], generation: 5);

        var result = _assignor.Assign(topics, [stale, current]);

        Assert.Equal([new TopicPartition("t", 0)], result["current"]);
        Assert.Equal([new TopicPartition("t", 1)], result["stale"]);
    }

    [Fact]
    public void A_partition_two_members_claim_from_the_same_generation_goes_to_neither_this_time()
    {
        var topics = new Dictionary<string, int> { ["t"] = 2 };
        var a = AssignorTests.Member("a", ["t"], owned: [new TopicPartition("t", 0)], generation: 4);
        var b = AssignorTests.Member("b", ["t"], owned: [new TopicPartition("t", 0)], generation: 4);

        var result = _assignor.Assign(topics, [a, b]);

        Assert.DoesNotContain(new TopicPartition("t", 0), result.Values.SelectMany(p => p));
        Assert.Contains(new TopicPartition("t", 1), result.Values.SelectMany(p => p));
    }
}
