using AkkaStream.Broker.Tests.EndToEnd;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Ids;
using AkkaStream.Web.Tests.Support;

namespace AkkaStream.Web.Tests.Metrics;

/// <summary>
/// Bytes and messages in, bytes out, log size and offsets, per topic, read through a real broker's
/// <c>/metrics</c> after the actor client produced and consumed.
/// </summary>
public sealed class TopicMetricsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Producing_raises_bytes_and_messages_in_for_that_topic_only_and_grows_its_log()
    {
        await using var broker = await WebBroker.StartAsync();
        await using var client = ClientFor.Create([broker.Server.Node]);
        await client.Admin.CreateTopicAsync("orders", 1, 1);
        await client.Admin.CreateTopicAsync("quiet", 1, 1);
        var before = await broker.ScrapeAsync();
        Assert.Equal(0, before.Sum("akkastream_topic_messages_in_total", ("topic", "orders")));

        await using (var producer = client.CreateProducer())
        {
            for (var i = 0; i < 10; i++) await producer.ProduceAsync("orders", $"k{i}", new string('x', 100));
        }

        var after = await broker.ScrapeAsync();
        Assert.Equal(10, after.Sum("akkastream_topic_messages_in_total", ("topic", "orders")));
        var bytesIn = after.Sum("akkastream_topic_bytes_in_total", ("topic", "orders"));
        Assert.True(bytesIn >= 10 * 100, $"bytes in {bytesIn} holds ten 100-byte values");
        Assert.Equal(0, after.Sum("akkastream_topic_messages_in_total", ("topic", "quiet")));
        Assert.Equal(0, after.Sum("akkastream_topic_bytes_in_total", ("topic", "quiet")));
        // The log holds what was appended (the batches as they are).
        var size = after.Sum("akkastream_log_size_bytes", ("topic", "orders"), ("partition", "0"));
        Assert.Equal(bytesIn, size);
        Assert.Equal(0, after.Sum("akkastream_log_size_bytes", ("topic", "quiet"), ("partition", "0")));
        Assert.Equal(10, after.Sum("akkastream_log_end_offset", ("topic", "orders"), ("partition", "0")));
        Assert.Equal(0, after.Sum("akkastream_log_start_offset", ("topic", "orders"), ("partition", "0")));
    }

    [Fact]
    public async Task Consuming_raises_bytes_out_for_that_topic()
    {
        await using var broker = await WebBroker.StartAsync();
        await using var client = ClientFor.Create([broker.Server.Node]);
        await client.Admin.CreateTopicAsync("events", 1, 1);
        await using (var producer = client.CreateProducer())
        {
            for (var i = 0; i < 5; i++) await producer.ProduceAsync("events", null, $"value-{i}");
        }
        Assert.Equal(0, (await broker.ScrapeAsync()).Sum("akkastream_topic_bytes_out_total", ("topic", "events")));

        await using var consumer = client.CreateConsumer();
        var partition = new TopicPartition("events", 0);
        consumer.Assign([partition]);
        consumer.SeekToBeginning([partition]);
        var read = 0;
        await Eventually.True(async () =>
        {
            read += (await consumer.PollAsync(TimeSpan.FromMilliseconds(500))).Count;
            return read >= 5;
        }, Bound, "the consumer reads the five records");

        var scrape = await broker.ScrapeAsync();
        var bytesOut = scrape.Sum("akkastream_topic_bytes_out_total", ("topic", "events"));
        var bytesIn = scrape.Sum("akkastream_topic_bytes_in_total", ("topic", "events"));
        Assert.True(bytesOut >= bytesIn, $"the consumer was served every appended byte at least once ({bytesOut} out, {bytesIn} in)");
        // Consumers are not replicas: nothing counts as replication traffic on a single broker.
        Assert.Equal(0, scrape.Sum("akkastream_topic_replication_bytes_out_total", ("topic", "events")));
    }

    [Fact]
    public async Task A_single_broker_is_the_active_controller_and_leads_every_partition()
    {
        await using var broker = await WebBroker.StartAsync();
        await using var client = ClientFor.Create([broker.Server.Node]);
        await client.Admin.CreateTopicAsync("spread", 4, 1);
        await Eventually.True(async () => (await broker.ScrapeAsync()).Sum("akkastream_leader_partitions") == 4, Bound,
            "the broker counts the four partitions it leads");

        var scrape = await broker.ScrapeAsync();
        Assert.Equal(1, scrape.Sum("akkastream_active_controller"));
        Assert.Equal(4, scrape.Sum("akkastream_partitions"));
        Assert.Equal(0, scrape.Sum("akkastream_under_replicated_partitions"));
        Assert.Equal(0, scrape.Sum("akkastream_offline_partitions"));
        Assert.Equal(0, scrape.Sum("akkastream_under_min_isr_partitions"));
    }

    [Fact]
    public async Task Creating_topics_is_timed_as_journal_writes_of_the_controller_and_the_partitions()
    {
        await using var broker = await WebBroker.StartAsync();
        await using var client = ClientFor.Create([broker.Server.Node]);
        // The controller's epoch is written at start; wait for it so that the topic's writes are what moves.
        await Eventually.True(async () => (await broker.ScrapeAsync()).Sum("akkastream_journal_write_duration_seconds_count", ("writer", "controller")) >= 1,
            Bound, "the controller's start is written");
        var before = await broker.ScrapeAsync();

        await client.Admin.CreateTopicAsync("journaled", 2, 1);
        await using (var producer = client.CreateProducer())
        {
            // A partition's leader writes its epoch's start before it serves.
            await producer.ProduceAsync("journaled", "k", "v");
        }

        var after = await broker.ScrapeAsync();
        Assert.True(after.Sum("akkastream_journal_write_duration_seconds_count", ("writer", "controller"))
            > before.Sum("akkastream_journal_write_duration_seconds_count", ("writer", "controller")), "the topic's creation is a controller write");
        Assert.True(after.Sum("akkastream_journal_write_duration_seconds_count", ("writer", "partition"))
            > before.Sum("akkastream_journal_write_duration_seconds_count", ("writer", "partition")), "a leader's epoch start is a partition write");
        Assert.True(after.Sum("akkastream_journal_write_duration_seconds_sum", ("writer", "controller")) > 0);
    }
}
