using System.Globalization;
using AkkaStream.Kafka.IntegrationTests.Support;

namespace AkkaStream.Kafka.IntegrationTests.Interop;

/// <summary>librdkafka's kcat against a live broker: produce a file of keyed records, consume them back, list metadata.</summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class KcatInteropTests(KafkaBrokerFixture broker) : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"akkastream-kcat-{Guid.NewGuid():N}.txt");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Produces_a_file_of_keyed_records_consumes_them_back_and_lists_metadata()
    {
        var topic = await broker.CreateTopicAsync("kcat", partitions: 2);
        var records = Enumerable.Range(0, 200).Select(i => string.Create(CultureInfo.InvariantCulture, $"key-{i % 7}:value {i} ünïcödé")).ToList();
        await File.WriteAllLinesAsync(_file, records);

        var produced = await Kcat.RunAsync("-P", "-b", broker.BootstrapServers, "-t", topic, "-K", ":", "-l", _file);
        Assert.True(produced.ExitCode == 0, $"kcat -P failed ({produced.ExitCode}): {produced.Errors}");

        var consumed = await Kcat.RunAsync("-C", "-b", broker.BootstrapServers, "-t", topic, "-e", "-o", "beginning", "-q", "-f", "%p|%k:%s\n");
        Assert.True(consumed.ExitCode == 0, $"kcat -C failed ({consumed.ExitCode}): {consumed.Errors}");
        var lines = consumed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|', 2)).ToList();
        Assert.Equal(records.Order(StringComparer.Ordinal), lines.Select(l => l[1]).Order(StringComparer.Ordinal));
        // The partitioner keeps each key on one partition, and both partitions got some.
        Assert.All(lines.GroupBy(l => l[1].Split(':')[0]), key => Assert.Single(key.Select(l => l[0]).Distinct()));
        Assert.Equal(2, lines.Select(l => l[0]).Distinct().Count());

        var listed = await Kcat.RunAsync("-L", "-b", broker.BootstrapServers, "-t", topic);
        Assert.True(listed.ExitCode == 0, $"kcat -L failed ({listed.ExitCode}): {listed.Errors}");
        Assert.Contains($"broker 1 at {broker.BootstrapServers}", listed.Output);
        Assert.Contains($"topic \"{topic}\" with 2 partitions:", listed.Output);
        Assert.Contains("partition 0, leader 1, replicas: 1, isrs: 1", listed.Output);
        Assert.Contains("partition 1, leader 1, replicas: 1, isrs: 1", listed.Output);
    }
}
