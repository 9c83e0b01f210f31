using System.Collections.Concurrent;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Client.Producer;
using AkkaStream.Records.Errors;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.EndToEnd.Groups;

/// <summary>
/// Static membership (KIP-345) end to end: a member with a group instance id whose client restarts
/// within its session comes back under a new member id and keeps its partitions, and the group does
/// not rebalance: the generation stays, the other member sees no revocation, and the restarted
/// member goes on from its commits.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupStaticMembershipTests(ITestOutputHelper output) : GroupBrokerTest
{
    private const string Topic = "static";
    private const string Group = "static-members";
    private const int Partitions = 6;
    private const int RecordsPerRound = 60;
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<GroupMemberRunner.Processed> _processed = new();
    private readonly ConcurrentQueue<GroupMemberRunner.Committed> _commits = new();

    private GroupMemberRunner Join(string name, string instance, string strategy) =>
        Track(GroupMemberRunner.Start(name, [Node], Group, Topic, _processed, _commits,
            GroupNodes.ClientConfig(strategy, SessionTimeout, $"akkastream.client.consumer.group-instance-id = \"{instance}\"")));

    [Theory]
    [InlineData("range")]
    [InlineData("cooperative-sticky")]
    public async Task A_static_member_restarted_within_its_session_keeps_its_partitions_without_a_rebalance(string strategy)
    {
        await using var producerClient = ClientFor.Create([Node]);
        Assert.Equal(ErrorCode.None, (await producerClient.Admin.CreateTopicAsync(Topic, partitions: Partitions, replicationFactor: 1)).Error);
        await using var producer = producerClient.CreateProducer();

        // one holds everything before two joins, so that its last join's subscription carries a
        // generation (and, cooperatively, owned partitions): a restarted client's never does.
        var one = Join("one", "i-1", strategy);
        await Eventually.True(() => one.Assignment.Count == Partitions, Timeout, () => $"one holds [{string.Join(",", one.Assignment)}]");
        var two = Join("two", "i-2", strategy);
        await Eventually.True(() => one.Assignment.Count == Partitions / 2 && two.Assignment.Count == Partitions / 2
                && one.Assignment.Union(two.Assignment).Count() == Partitions, Timeout,
            () => $"one holds [{string.Join(",", one.Assignment)}], two holds [{string.Join(",", two.Assignment)}]");
        var generation = (await two.Consumer.MembershipAsync()).GenerationId;
        var held = one.Assignment.ToHashSet();
        await ProduceAsync(producer, 0);
        await ProcessedAsync(RecordsPerRound);
        var twoEvents = two.Events.Count;

        // one's client restarts: closing a static member commits but does not leave the group.
        Members.Remove(one);
        await one.DisposeAsync();
        var restarted = DateTime.UtcNow;
        var again = Join("one-again", "i-1", strategy);
        await Eventually.True(() => again.Assignment.ToHashSet().SetEquals(held), Timeout,
            () => $"one-again holds [{string.Join(",", again.Assignment)}], one held [{string.Join(",", held)}]");
        output.WriteLine($"the restarted member holds its partitions {(DateTime.UtcNow - restarted).TotalSeconds:0.0} s after its restart");

        var membership = await again.Consumer.MembershipAsync();
        Assert.Equal(generation, membership.GenerationId);
        Assert.Equal(generation, (await two.Consumer.MembershipAsync()).GenerationId);
        Assert.Equal(twoEvents, two.Events.Count);

        // Both go on; the restarted member from one's commits, so nothing is processed twice.
        await ProduceAsync(producer, RecordsPerRound);
        await ProcessedAsync(2 * RecordsPerRound);
        Assert.Contains(_processed, p => p.Member == "one-again");
        Assert.Equal(Enumerable.Range(0, 2 * RecordsPerRound), _processed.Select(p => int.Parse(p.Value)).Order());
        Assert.Equal(generation, (await two.Consumer.MembershipAsync()).GenerationId);
        Assert.Equal(twoEvents, two.Events.Count);
        Assert.All(Members, m => Assert.Empty(m.Failures));
    }

    private static async Task ProduceAsync(AkkaStreamProducer producer, int from) =>
        await Task.WhenAll(Enumerable.Range(from, RecordsPerRound).Select(n => producer.ProduceAsync(Topic, $"key-{n}", $"{n}")));

    private Task ProcessedAsync(int count) =>
        Eventually.True(() => _processed.Select(p => p.Value).Distinct().Count() >= count, Timeout,
            () => $"{_processed.Select(p => p.Value).Distinct().Count()} of {count} records processed");
}
