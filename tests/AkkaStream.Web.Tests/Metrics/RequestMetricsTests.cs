using Akka.Actor;
using AkkaStream.Broker.Tests.EndToEnd;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Protocol.Messages;
using AkkaStream.Web.Tests.Support;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace AkkaStream.Web.Tests.Metrics;

/// <summary>
/// Request counts, latency histograms and error codes per API, for the Kafka listener (driven by
/// Confluent.Kafka) and for the gateway (the actor client, and the Kafka listener's handlers),
/// read through a real broker's <c>/metrics</c>.
/// </summary>
public sealed class RequestMetricsTests
{
    private const string KafkaRequests = "akkastream_kafka_requests_total";
    private const string KafkaDurations = "akkastream_kafka_request_duration_seconds_count";
    private const string KafkaErrors = "akkastream_kafka_request_errors_total";
    private const string GatewayRequests = "akkastream_gateway_requests_total";
    private const string GatewayDurations = "akkastream_gateway_request_duration_seconds_count";
    private const string GatewayErrors = "akkastream_gateway_request_errors_total";

    private static string BootstrapOf(WebBroker broker)
    {
        var listener = broker.Server.Broker.ListenerSettings!;
        return $"{listener.AdvertisedHost}:{listener.AdvertisedPort}";
    }

    [Fact]
    public async Task Kafka_clients_requests_are_counted_and_timed_per_api()
    {
        await using var broker = await WebBroker.StartAsync();
        await broker.WhenReadyAsync();
        var bootstrap = BootstrapOf(broker);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "wire", NumPartitions = 1, ReplicationFactor = 1 }]);
        }
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5 }).Build())
        {
            for (var i = 0; i < 5; i++) await producer.ProduceAsync("wire", new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
        }
        using (var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
               {
                   BootstrapServers = bootstrap, GroupId = "unused", EnableAutoCommit = false, FetchWaitMaxMs = 100,
               }).Build())
        {
            consumer.Assign(new TopicPartitionOffset("wire", 0, Offset.Beginning));
            var read = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (read < 5 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { IsPartitionEOF: false }) read++;
            }
            Assert.Equal(5, read);
            consumer.Close();
        }

        var scrape = await broker.ScrapeAsync();
        foreach (var api in new[] { "ApiVersions", "Metadata", "CreateTopics", "Produce", "Fetch" })
        {
            Assert.True(scrape.Sum(KafkaRequests, ("api", api)) >= 1, $"{api} requests counted");
            Assert.True(scrape.Sum(KafkaDurations, ("api", api)) >= 1, $"{api} answers timed");
        }
        // Every answer is timed once: the histogram's count follows the requests (none is in flight now).
        Assert.Equal(scrape.Sum(KafkaRequests, ("api", "Produce")), scrape.Sum(KafkaDurations, ("api", "Produce")));
        Assert.True(scrape.Sum("akkastream_kafka_request_duration_seconds_bucket", ("api", "Produce"), ("le", "+Inf")) >= 1);
        // The records came through the Kafka listener, and so through the gateway's partition path too.
        Assert.Equal(5, scrape.Sum("akkastream_topic_messages_in_total", ("topic", "wire")));
        Assert.True(scrape.Sum(GatewayRequests, ("request", "Produce")) >= 1);
        Assert.True(scrape.Sum(GatewayRequests, ("request", "Fetch")) >= 1);
    }

    [Fact]
    public async Task Error_codes_in_kafka_answers_are_counted_per_api_and_code()
    {
        await using var broker = await WebBroker.StartAsync();
        await broker.WhenReadyAsync();
        var bootstrap = BootstrapOf(broker);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        Assert.Equal(0, (await broker.ScrapeAsync()).Sum(KafkaErrors, ("api", "DeleteTopics")));

        await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(["no-such-topic"]));

        var scrape = await broker.ScrapeAsync();
        Assert.Equal(1, scrape.Sum(KafkaErrors, ("api", "DeleteTopics"), ("error", "UnknownTopicOrPartition")));
        Assert.Equal(1, scrape.Sum(KafkaErrors, ("api", "DeleteTopics")));
    }

    [Fact]
    public async Task Actor_protocol_requests_are_counted_timed_and_their_errors_counted_at_the_gateway()
    {
        await using var broker = await WebBroker.StartAsync();
        await using var client = ClientFor.Create([broker.Server.Node]);
        await client.Admin.CreateTopicAsync("actors", 1, 1);
        await using (var producer = client.CreateProducer())
        {
            await producer.ProduceAsync("actors", "k", "v");
        }
        var gateway = broker.Server.Node.Gateway;
        var missing = await gateway.Ask<ListOffsetsResponse>(new ListOffsetsRequest("no-such-topic", 0, ListOffsetsRequest.Latest, -1), TimeSpan.FromSeconds(30));
        Assert.Equal(Records.Errors.ErrorCode.UnknownTopicOrPartition, missing.Error);
        var latest = await gateway.Ask<ListOffsetsResponse>(new ListOffsetsRequest("actors", 0, ListOffsetsRequest.Latest, -1), TimeSpan.FromSeconds(30));
        Assert.Equal(1, latest.Offset);

        var scrape = await broker.ScrapeAsync();
        Assert.True(scrape.Sum(GatewayRequests, ("request", "CreateTopic")) >= 1);
        Assert.True(scrape.Sum(GatewayDurations, ("request", "CreateTopic")) >= 1);
        Assert.True(scrape.Sum(GatewayRequests, ("request", "Produce")) >= 1);
        // Partition requests are forwarded to the leader, which answers the client itself: counted, not timed.
        Assert.Equal(0, scrape.Sum(GatewayDurations, ("request", "Produce")));
        Assert.True(scrape.Sum(GatewayRequests, ("request", "Metadata")) >= 1, "the client looked the topic up");
        Assert.Equal(2, scrape.Sum(GatewayRequests, ("request", "ListOffsets")));
        // Only the refusal was answered (and so timed) by the gateway itself.
        Assert.Equal(1, scrape.Sum(GatewayDurations, ("request", "ListOffsets")));
        Assert.Equal(1, scrape.Sum(GatewayErrors, ("request", "ListOffsets"), ("error", "UnknownTopicOrPartition")));
        Assert.Equal(1, scrape.Sum(GatewayErrors, ("request", "ListOffsets")));
        // Nothing went through the Kafka listener.
        Assert.Equal(0, scrape.Sum(KafkaRequests));
    }
}
