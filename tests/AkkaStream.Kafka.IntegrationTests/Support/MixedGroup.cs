using System.Collections.Concurrent;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Broker.Tests.EndToEnd.Groups;
using Confluent.Kafka;

namespace AkkaStream.Kafka.IntegrationTests.Support;

/// <summary>One record as a member of a mixed group read it, whichever kind of consumer the member is.</summary>
internal sealed record MixedRead(string Member, int Partition, long Offset, string Value);

/// <summary>
/// A consumer group shared by actor-client group consumers (<see cref="GroupMemberRunner"/>, each in
/// a client ActorSystem of its own) and Confluent.Kafka consumers (<see cref="GroupConsumer"/>):
/// starts members of either kind, and sees what all of them read in one list.
/// </summary>
internal sealed class MixedGroup(string group, string topic)
{
    private readonly ConcurrentQueue<(string Consumer, ConsumeResult<string, string> Record)> _kafkaReads = new();
    private readonly ConcurrentQueue<GroupMemberRunner.Processed> _actorReads = new();
    private readonly ConcurrentQueue<GroupMemberRunner.Committed> _actorCommits = new();
    private readonly List<GroupConsumer> _kafkaMembers = [];
    private readonly List<GroupMemberRunner> _actorMembers = [];

    public string Group => group;

    /// <summary>
    /// Starts an actor-client member bootstrapped at <paramref name="nodes"/>' Akka.Remote endpoints,
    /// offering <paramref name="strategies"/>, with the session and heartbeat times of
    /// <see cref="GroupConsumer"/>'s and its name for client id. It commits after every batch and before giving partitions up.
    /// </summary>
    public GroupMemberRunner StartActorMember(string name, IEnumerable<BrokerNode> nodes, params string[] strategies)
    {
        var member = GroupMemberRunner.Start(name, nodes, group, topic, _actorReads, _actorCommits,
            "akkastream.client.metadata-max-age = 2s",
            $"akkastream.client.client-id = \"{name}\"",
            $"akkastream.client.consumer.partition-assignment-strategy = [{string.Join(", ", strategies.Select(s => $"\"{s}\""))}]",
            "akkastream.client.consumer.session-timeout = 6s",
            "akkastream.client.consumer.heartbeat-interval = 500ms",
            "akkastream.client.consumer.max-poll-interval = 30s",
            "akkastream.client.consumer.auto-offset-reset = earliest");
        _actorMembers.Add(member);
        return member;
    }

    /// <summary>Starts a Confluent.Kafka member; it commits every record it reads.</summary>
    public GroupConsumer StartKafkaMember(string name, string bootstrapServers, PartitionAssignmentStrategy strategy)
    {
        var member = GroupConsumer.Start(name, bootstrapServers, group, topic, _kafkaReads, strategy);
        _kafkaMembers.Add(member);
        return member;
    }

    /// <summary>Every record every member has read so far, in no particular order.</summary>
    public IReadOnlyList<MixedRead> Reads() =>
    [
        .. _kafkaReads.Select(r => new MixedRead(r.Consumer, r.Record.Partition.Value, r.Record.Offset.Value, r.Record.Message.Value)),
        .. _actorReads.Select(r => new MixedRead(r.Member, r.Partition.Partition, r.Offset, r.Value)),
    ];

    /// <summary>Fails the test when any member's poll loop failed or any of its commits was refused.</summary>
    public void AssertNoFailure()
    {
        foreach (var member in _kafkaMembers)
        {
            if (member.Failure is { } failure) Assert.Fail($"{member.Name} failed: {failure}");
            Assert.True(member.CommitErrors.IsEmpty, $"{member.Name}'s commits failed: {string.Join("; ", member.CommitErrors)}");
        }
        foreach (var member in _actorMembers)
        {
            Assert.True(member.Failures.IsEmpty, $"{member.Name} failed: {string.Join("; ", member.Failures)}");
        }
    }

    /// <summary>Waits until every one of <paramref name="produced"/> has been read by some member.</summary>
    public Task AllReadAsync(IReadOnlyCollection<string> produced, TimeSpan timeout) =>
        Eventually.True(() =>
        {
            AssertNoFailure();
            var read = Reads().Select(r => r.Value).ToHashSet();
            return produced.All(read.Contains);
        }, timeout, () => $"{Reads().Select(r => r.Value).Distinct().Count()} distinct records read of {produced.Count} produced");
}
