using System.Text;
using AkkaStream.Broker.Tests.EndToEnd;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Client;
using AkkaStream.Client.Groups;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Ids;

namespace AkkaStream.Web.Tests.Support;

/// <summary>
/// A real broker with its listeners, holding what the console shows: topic <see cref="Topic"/>
/// (3 partitions) with records produced by the actor client — partition 0 six records, the first
/// three an hour old, among them markup, a header, binary bytes and a value larger than the page's
/// limit; partition 1 four records; partition 2 none — and group <see cref="Group"/>, a live member
/// that has read everything but committed only offsets 4 and 1 (lag 2 and 3).
/// </summary>
public sealed class ConsoleBroker : IAsyncLifetime
{
    public const string Topic = "orders";
    public const string Group = "billing";
    public const string Markup = "<script>alert('x')</script>&amp;";
    public const int LargeValueSize = 5000;

    /// <summary>When the newer records of partition 0 (offsets 3-5) were written; the older ones are an hour before.</summary>
    public long RecentTimestamp { get; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public WebBroker Broker { get; private set; } = null!;

    public AkkaStreamClient Client { get; private set; } = null!;

    private AkkaStreamGroupConsumer _member = null!;

    public async Task InitializeAsync()
    {
        Broker = await WebBroker.StartAsync("akkastream.groups.initial-rebalance-delay = 0s", "akkastream.groups.min-session-timeout = 1s");
        var node = Broker.Server.Node;
        await Eventually.True(() => node.Metadata.Current.Brokers.Count == 1, TimeSpan.FromSeconds(60), "the broker publishes itself");
        Client = ClientFor.Create([node],
            "akkastream.client.consumer { auto-offset-reset = earliest, session-timeout = 10s, heartbeat-interval = 1s, enable-auto-commit = off }");
        await Client.Admin.CreateTopicAsync(Topic, partitions: 3, replicationFactor: 1);
        await Eventually.True(() => node.Metadata.Current.Partition(Topic, 2) is { Leader: 1 }, TimeSpan.FromSeconds(60), "the topic has leaders");

        var producer = Client.CreateProducer();
        await using (producer)
        {
            var old = RecentTimestamp - 3_600_000;
            await Produce(producer, 0, "k0", Encoding.UTF8.GetBytes("hello"), old, new RecordHeaderData("trace", Encoding.UTF8.GetBytes("t-1")));
            await Produce(producer, 0, "k1", Encoding.UTF8.GetBytes(Markup), old);
            await Produce(producer, 0, null, [0x00, 0xff, 0x10], old);
            await Produce(producer, 0, "k3", Encoding.UTF8.GetBytes(new string('v', LargeValueSize)), RecentTimestamp);
            await Produce(producer, 0, "k4", Encoding.UTF8.GetBytes("four"), RecentTimestamp);
            await Produce(producer, 0, "k5", null, RecentTimestamp);
            for (var i = 0; i < 4; i++)
            {
                await Produce(producer, 1, $"p1-{i}", Encoding.UTF8.GetBytes($"value {i}"), RecentTimestamp);
            }
        }

        _member = Client.CreateGroupConsumer(Group);
        _member.Subscribe([Topic]);
        var seen = 0;
        await Eventually.True(async () =>
        {
            seen += (await _member.PollAsync(TimeSpan.FromMilliseconds(500))).Count;
            return seen == 10;
        }, TimeSpan.FromSeconds(60), "the group's member reads every record");
        await _member.CommitAsync(new Dictionary<TopicPartition, long> { [new(Topic, 0)] = 4, [new(Topic, 1)] = 1 });
    }

    private static Task Produce(Client.Producer.AkkaStreamProducer producer, int partition, string? key, byte[]? value, long timestamp, params RecordHeaderData[] headers) =>
        producer.ProduceAsync(Topic, key is null ? null : Encoding.UTF8.GetBytes(key), value, headers, timestamp, partition);

    public async Task DisposeAsync()
    {
        await _member.DisposeAsync();
        await Client.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
