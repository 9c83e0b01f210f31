using AkkaStream.Broker.Tests.Support;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Protocol.Messages;
using KafkaErrorCode = AkkaStream.Records.Errors.ErrorCode;

namespace AkkaStream.Kafka.IntegrationTests.Interop;

/// <summary>
/// kcat's balanced consumer (<c>kcat -G</c>, librdkafka's consumer group): it joins a group,
/// reads what was produced, and commits, so that its next run in the same group reads only what
/// was produced since.
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class KcatGroupTests(KafkaBrokerFixture broker)
{
    private const int Partitions = 3;

    [Fact]
    public async Task The_balanced_consumer_joins_reads_and_commits_and_its_next_run_resumes()
    {
        var topic = await broker.CreateTopicAsync("kcat-group", Partitions);
        var group = $"kcat-{Guid.NewGuid():N}";
        Produce(topic, "first", 30);

        var first = await ConsumeAsync(group, topic);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"first-{i}").Order(), first.Order());
        var committed = await Eventually.Reply<OffsetFetchResponse>(broker.Broker.Node.Gateway, new OffsetFetchRequest(group, null),
            r => r.Error == KafkaErrorCode.None && r.Partitions.Count == Partitions);
        Assert.All(committed.Partitions, p => Assert.Equal(10, p.Offset));

        Produce(topic, "second", 6);
        var second = await ConsumeAsync(group, topic);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"second-{i}").Order(), second.Order());
    }

    /// <summary>One run of kcat in <paramref name="group"/> until it reaches the end of every partition; the values it read.</summary>
    private async Task<List<string>> ConsumeAsync(string group, string topic)
    {
        var run = await Kcat.RunAsync("-b", broker.BootstrapServers, "-G", group, "-e", "-q", "-f", "%s\n",
            "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
            "-X", "auto.commit.interval.ms=100", topic);
        Assert.True(run.ExitCode == 0, $"kcat -G failed ({run.ExitCode}): {run.Errors}");
        return [.. run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private void Produce(string topic, string prefix, int count)
    {
        using var producer = KafkaClients.Producer(broker);
        KafkaClients.ProduceSpread(producer, topic, Partitions, prefix, count);
    }
}
