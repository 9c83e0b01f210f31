using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.EndToEnd.Groups;

/// <summary>
/// Group consumers, each in its own client ActorSystem, against a real broker's coordinator: the
/// group's partitions are shared out, re-shared when a member joins, and taken over from a member
/// that crashed once its session expires.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupRebalanceTests(ITestOutputHelper output) : GroupBrokerTest
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(3);

    private GroupMemberRunner Join(string name, string strategy) =>
        Track(GroupMemberRunner.Start(name, [Node], "rebalancing", "shared", config: GroupNodes.ClientConfig(strategy, SessionTimeout)));

    private static bool SharedOut(IReadOnlyList<GroupMemberRunner> members, params int[] sizes)
    {
        var all = members.SelectMany(m => m.Assignment).ToList();
        return all.Count == 12 && all.Distinct().Count() == 12
            && members.Select(m => m.Assignment.Count).Order().SequenceEqual(sizes.Order());
    }

    private static string Describe(IEnumerable<GroupMemberRunner> members) =>
        string.Join("; ", members.Select(m => $"{m.Name}: [{string.Join(",", m.Assignment.Select(tp => tp.Partition).Order())}]"));

    [Theory]
    [InlineData("range")]
    [InlineData("roundrobin")]
    [InlineData("cooperative-sticky")]
    public async Task Members_share_twelve_partitions_a_joiner_takes_a_share_and_a_crashedMembers_partitions_move_within_its_session(string strategy)
    {
        await using (var admin = ClientFor.Create([Node]))
        {
            var created = await admin.Admin.CreateTopicAsync("shared", partitions: 12, replicationFactor: 1);
            Assert.Equal(ErrorCode.None, created.Error);
        }
        var first = new[] { Join("a", strategy), Join("b", strategy), Join("c", strategy) };

        await Eventually.True(() => SharedOut(first, 4, 4, 4), TimeSpan.FromSeconds(30), () => Describe(first));
        var beforeJoin = first.ToDictionary(m => m.Name, m => m.Assignment.ToHashSet());
        var eventsBeforeJoin = first.ToDictionary(m => m.Name, m => m.Events.Count);

        var all = first.Append(Join("d", strategy)).ToList();
        await Eventually.True(() => SharedOut(all, 3, 3, 3, 3), TimeSpan.FromSeconds(30), () => Describe(all));
        var beforeCrash = all.ToDictionary(m => m.Name, m => m.Assignment.ToHashSet());

        var victim = all[1];
        var crashedAt = DateTime.UtcNow;
        await victim.KillAsync();
        var survivors = all.Where(m => m != victim).ToList();
        await Eventually.True(() => SharedOut(survivors, 4, 4, 4), SessionTimeout + TimeSpan.FromSeconds(10), () => Describe(survivors));
        output.WriteLine($"{strategy}: the crashed member's partitions moved after {(DateTime.UtcNow - crashedAt).TotalSeconds:F1} s (session {SessionTimeout.TotalSeconds} s)");

        foreach (var member in all)
        {
            output.WriteLine($"{member.Name}: {string.Join(" | ", member.Events.Select(e => $"{(e.At - crashedAt).TotalSeconds:F1}s {e.Kind} {string.Join(",", e.Partitions.Select(p => p.Partition))}"))}");
            Assert.Empty(member.Failures);
            Assert.DoesNotContain(member.Events, e => e.Kind == "lost");
        }
        AssertNoPartitionHeldByTwo(all);
        if (strategy == "cooperative-sticky")
        {
            // Only partitions that moved were revoked: one from each of a, b, c when d joined, none
            // when b crashed (its partitions were unowned by then), and everyone kept the rest.
            foreach (var member in first)
            {
                var revoked = member.Events.Skip(eventsBeforeJoin[member.Name]).Where(e => e.Kind == "revoked").SelectMany(e => e.Partitions).ToList();
                Assert.Single(revoked);
                Assert.Subset(beforeJoin[member.Name], beforeCrash[member.Name]);
            }
            foreach (var survivor in survivors)
            {
                Assert.Subset(survivor.Assignment.ToHashSet(), beforeCrash[survivor.Name]);
            }
        }
    }

    /// <summary>
    /// From every member's events, each partition's ownership intervals (assigned → revoked, lost,
    /// or the member's crash); intervals of one partition on two members never overlap: a partition
    /// is handed over only after its owner gave it up.
    /// </summary>
    private static void AssertNoPartitionHeldByTwo(IEnumerable<GroupMemberRunner> members)
    {
        var intervals = new List<(TopicPartition Partition, string Member, DateTime From, DateTime To)>();
        foreach (var member in members)
        {
            var open = new Dictionary<TopicPartition, DateTime>();
            foreach (var e in member.Events)
            {
                foreach (var tp in e.Kind == "killed" ? open.Keys.ToList() : e.Partitions)
                {
                    if (e.Kind == "assigned")
                    {
                        open[tp] = e.At;
                    }
                    else if (open.Remove(tp, out var from))
                    {
                        intervals.Add((tp, member.Name, from, e.At));
                    }
                }
            }
            intervals.AddRange(open.Select(kv => (kv.Key, member.Name, kv.Value, DateTime.MaxValue)));
        }
        foreach (var group in intervals.GroupBy(i => i.Partition))
        {
            var ordered = group.OrderBy(i => i.From).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].From >= ordered[i - 1].To,
                    $"{group.Key} held by {ordered[i - 1].Member} until {ordered[i - 1].To:O} and by {ordered[i].Member} from {ordered[i].From:O}");
            }
        }
    }
}
