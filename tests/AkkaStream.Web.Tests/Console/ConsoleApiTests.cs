using System.Net;
using System.Text.Json;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Ids;
using AkkaStream.Web.Tests.Support;

namespace AkkaStream.Web.Tests.Console;

/// <summary>
/// The console's JSON API against a real broker (<see cref="ConsoleBroker"/>): topics with their
/// partitions, offsets and sizes, the cluster, groups with lag, the message browser by offset and by
/// time, the page's assets, and bad input answered with a JSON error naming the Kafka error code.
/// </summary>
public sealed class ConsoleApiTests(ConsoleBroker fixture) : IClassFixture<ConsoleBroker>
{
    private readonly HttpClient _http = fixture.Broker.Http;

    [Fact]
    public async Task Topics_show_each_partition_with_its_leader_isr_offsets_and_size()
    {
        var topics = await _http.GetJson("/api/topics");
        var orders = topics.EnumerateArray().Single(t => t.GetProperty("name").GetString() == ConsoleBroker.Topic);
        var partitions = orders.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], partitions.Select(p => p.GetProperty("partition").GetInt32()));
        Assert.All(partitions, p =>
        {
            Assert.Equal(1, p.GetProperty("leader").GetInt32());
            Assert.Equal([1], p.GetProperty("replicas").EnumerateArray().Select(r => r.GetInt32()));
            Assert.Equal([1], p.GetProperty("isr").EnumerateArray().Select(r => r.GetInt32()));
            Assert.False(p.GetProperty("underReplicated").GetBoolean());
            Assert.Equal(0, p.GetProperty("logStartOffset").GetInt64());
        });
        Assert.Equal([6L, 4L, 0L], partitions.Select(p => p.GetProperty("highWatermark").GetInt64()));
        // The leader's log holds the large value, so partition 0 is larger than it; an empty log has no bytes.
        Assert.True(partitions[0].GetProperty("sizeBytes").GetInt64() > ConsoleBroker.LargeValueSize);
        Assert.Equal(0, partitions[2].GetProperty("sizeBytes").GetInt64());
        Assert.Equal(partitions[0].GetProperty("sizeBytes").GetInt64(), partitions[0].GetProperty("replicaSizes").GetProperty("1").GetInt64());

        var one = await _http.GetJson($"/api/topics/{ConsoleBroker.Topic}");
        Assert.Equal(3, one.GetProperty("partitions").GetArrayLength());
    }

    [Fact]
    public async Task The_local_logs_endpoint_gives_this_brokers_replica_sizes_and_offsets()
    {
        var local = await _http.GetJson("/api/local/logs");
        Assert.Equal(1, local.GetProperty("brokerId").GetInt32());
        var log = local.GetProperty("logs").EnumerateArray().Single(l => l.GetProperty("topic").GetString() == ConsoleBroker.Topic && l.GetProperty("partition").GetInt32() == 1);
        Assert.Equal((4L, 4L), (log.GetProperty("logEndOffset").GetInt64(), log.GetProperty("highWatermark").GetInt64()));
        Assert.True(log.GetProperty("sizeBytes").GetInt64() > 0);
    }

    [Fact]
    public async Task The_cluster_shows_the_broker_as_controller_oldest_and_ready()
    {
        JsonElement member = default;
        await Eventually.True(async () =>
        {
            member = Assert.Single((await _http.GetJson("/api/cluster")).GetProperty("members").EnumerateArray());
            return member.GetProperty("health").GetProperty("status").GetString() == "ready";
        }, TimeSpan.FromSeconds(60), "the broker's own health check reports ready");
        Assert.Equal(1, member.GetProperty("brokerId").GetInt32());
        Assert.Equal("Up", member.GetProperty("status").GetString());
        Assert.True(member.GetProperty("reachable").GetBoolean());
        Assert.True(member.GetProperty("isController").GetBoolean());
        Assert.True(member.GetProperty("isOldest").GetBoolean());
        Assert.True(member.GetProperty("isSelf").GetBoolean());
        Assert.Contains("broker-id-1", member.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(fixture.Broker.Server.HttpAddress!.ToString(), member.GetProperty("http").GetString());
    }

    [Fact]
    public async Task Groups_are_listed_and_described_with_their_lag_per_partition()
    {
        var groups = await _http.GetJson("/api/groups");
        Assert.Contains(groups.EnumerateArray(), g => g.GetProperty("groupId").GetString() == ConsoleBroker.Group);

        var group = await _http.GetJson($"/api/groups/{ConsoleBroker.Group}");
        Assert.Equal("Stable", group.GetProperty("state").GetString());
        var member = Assert.Single(group.GetProperty("members").EnumerateArray());
        // The member's client set no client-id, so it joined as Kafka's consumer does: consumer-<group>.
        Assert.Equal(($"consumer-{ConsoleBroker.Group}", "/127.0.0.1"), (member.GetProperty("clientId").GetString(), member.GetProperty("clientHost").GetString()));
        var lags = group.GetProperty("partitions").EnumerateArray()
            .Select(p => (p.GetProperty("partition").GetInt32(), Committed(p), p.GetProperty("logEndOffset").GetInt64(), Lag(p)))
            .ToList();
        Assert.Equal([(0, 4L, 6L, 2L), (1, 1L, 4L, 3L), (2, null, 0L, null)], lags);
        Assert.Equal(5, group.GetProperty("totalLag").GetInt64());

        static long? Committed(JsonElement p) => p.GetProperty("committedOffset").ValueKind == JsonValueKind.Null ? null : p.GetProperty("committedOffset").GetInt64();
        static long? Lag(JsonElement p) => p.GetProperty("lag").ValueKind == JsonValueKind.Null ? null : p.GetProperty("lag").GetInt64();
    }

    [Fact]
    public async Task Records_are_browsed_from_an_offset_as_text_and_hex_with_headers_and_paging()
    {
        var page = await _http.GetJson($"/api/topics/{ConsoleBroker.Topic}/partitions/0/records?offset=0&limit=3");
        var records = page.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal([0L, 1L, 2L], records.Select(r => r.GetProperty("offset").GetInt64()));
        Assert.Equal(3, page.GetProperty("nextOffset").GetInt64());
        Assert.Equal(6, page.GetProperty("highWatermark").GetInt64());

        Assert.Equal("k0", records[0].GetProperty("key").GetProperty("text").GetString());
        Assert.Equal("hello", records[0].GetProperty("value").GetProperty("text").GetString());
        Assert.Equal("68656c6c6f", records[0].GetProperty("value").GetProperty("hex").GetString());
        var header = Assert.Single(records[0].GetProperty("headers").EnumerateArray());
        Assert.Equal(("trace", "t-1"), (header.GetProperty("key").GetString(), header.GetProperty("value").GetProperty("text").GetString()));
        Assert.Equal(ConsoleBroker.Markup, records[1].GetProperty("value").GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, records[2].GetProperty("key").ValueKind);
        Assert.Equal("00ff10", records[2].GetProperty("value").GetProperty("hex").GetString());

        var next = await _http.GetJson($"/api/topics/{ConsoleBroker.Topic}/partitions/0/records?offset=3&limit=10&valueLimit=100");
        var rest = next.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal([3L, 4L, 5L], rest.Select(r => r.GetProperty("offset").GetInt64()));
        Assert.Equal(6, next.GetProperty("nextOffset").GetInt64());
        var large = rest[0].GetProperty("value");
        Assert.Equal((ConsoleBroker.LargeValueSize, true, 100), (large.GetProperty("size").GetInt32(), large.GetProperty("truncated").GetBoolean(), large.GetProperty("text").GetString()!.Length));
        Assert.Equal(JsonValueKind.Null, rest[2].GetProperty("value").ValueKind);
    }

    [Fact]
    public async Task Record_text_reaches_the_page_escaped_so_markup_is_never_markup()
    {
        var response = await _http.GetAsync($"/api/topics/{ConsoleBroker.Topic}/partitions/0/records?offset=1&limit=1");
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.DoesNotContain("<script>", raw);
        Assert.Contains("\\u003Cscript\\u003E", raw);
    }

    [Fact]
    public async Task Records_are_browsed_from_a_timestamp_through_list_offsets_by_time()
    {
        var from = fixture.RecentTimestamp - 1000;
        var page = await _http.GetJson($"/api/topics/{ConsoleBroker.Topic}/partitions/0/records?timestamp={from}&limit=2");
        Assert.Equal(3, page.GetProperty("startOffset").GetInt64());
        Assert.Equal([3L, 4L], page.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("offset").GetInt64()));

        var iso = DateTimeOffset.FromUnixTimeMilliseconds(from).ToString("o");
        var byIso = await _http.GetJson($"/api/topics/{ConsoleBroker.Topic}/partitions/0/records?timestamp={Uri.EscapeDataString(iso)}&limit=1");
        Assert.Equal(3, byIso.GetProperty("startOffset").GetInt64());

        var future = await _http.GetJson($"/api/topics/{ConsoleBroker.Topic}/partitions/0/records?timestamp={fixture.RecentTimestamp + 3_600_000}");
        Assert.Equal(6, future.GetProperty("startOffset").GetInt64());
        Assert.Empty(future.GetProperty("records").EnumerateArray());
    }

    [Theory]
    [InlineData("/api/topics/nope", HttpStatusCode.NotFound, "UnknownTopicOrPartition", 3)]
    [InlineData("/api/topics/nope/partitions/0/records", HttpStatusCode.NotFound, "UnknownTopicOrPartition", 3)]
    [InlineData("/api/topics/orders/partitions/3/records", HttpStatusCode.NotFound, "UnknownTopicOrPartition", 3)]
    [InlineData("/api/topics/orders/partitions/-1/records", HttpStatusCode.NotFound, "UnknownTopicOrPartition", 3)]
    [InlineData("/api/topics/orders/partitions/zero/records", HttpStatusCode.BadRequest, "InvalidRequest", 42)]
    [InlineData("/api/topics/orders/partitions/0/records?offset=-5", HttpStatusCode.BadRequest, "OffsetOutOfRange", 1)]
    [InlineData("/api/topics/orders/partitions/0/records?offset=99", HttpStatusCode.BadRequest, "OffsetOutOfRange", 1)]
    [InlineData("/api/topics/orders/partitions/0/records?offset=1e3", HttpStatusCode.BadRequest, "InvalidRequest", 42)]
    [InlineData("/api/topics/orders/partitions/0/records?offset=%3Cb%3E", HttpStatusCode.BadRequest, "InvalidRequest", 42)]
    [InlineData("/api/topics/orders/partitions/0/records?limit=0", HttpStatusCode.BadRequest, "InvalidRequest", 42)]
    [InlineData("/api/topics/orders/partitions/0/records?limit=99999999999999999999", HttpStatusCode.BadRequest, "InvalidRequest", 42)]
    [InlineData("/api/topics/orders/partitions/0/records?timestamp=yesterday", HttpStatusCode.BadRequest, "InvalidTimestamp", 32)]
    [InlineData("/api/topics/orders/partitions/0/records?timestamp=-1", HttpStatusCode.BadRequest, "InvalidTimestamp", 32)]
    [InlineData("/api/topics/orders/partitions/0/records?offset=0&timestamp=0", HttpStatusCode.BadRequest, "InvalidRequest", 42)]
    [InlineData("/api/groups/nobody", HttpStatusCode.NotFound, "GroupIdNotFound", 69)]
    [InlineData("/api/charts?broker=7", HttpStatusCode.NotFound, "BrokerNotAvailable", 8)]
    [InlineData("/api/charts?broker=x", HttpStatusCode.BadRequest, "InvalidRequest", 42)]
    public async Task Bad_input_answers_a_json_error_naming_the_kafka_error_code(string path, HttpStatusCode status, string error, int code)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((error, code), (body.GetProperty("error").GetString(), body.GetProperty("code").GetInt32()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("/", "text/html", "<title>AkkaStream console</title>")]
    [InlineData("/console/console.css", "text/css", "tr.under-replicated")]
    [InlineData("/console/console.js", "text/javascript", "function el(")]
    public async Task The_page_and_its_assets_are_served_with_their_content_types_and_caching_off(string path, string type, string content)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains(content, await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/console/secrets.txt")).StatusCode);
    }

    [Fact]
    public async Task Charts_show_the_bytes_produced_and_fetched_and_the_request_latency_per_api()
    {
        // A point is the growth between two readings, so traffic before the sampler's first reading
        // shows in none: wait for a point, then produce and read a record of a topic of this test's own.
        await Eventually.True(async () => (await _http.GetJson("/api/charts")).GetProperty("points").GetArrayLength() > 0,
            TimeSpan.FromSeconds(30), "the sampler has taken its first readings");
        var traffic = new TopicPartition("chart-traffic", 0);
        await fixture.Client.Admin.CreateTopicAsync(traffic.Topic, partitions: 1, replicationFactor: 1);
        await using (var producer = fixture.Client.CreateProducer())
        {
            await producer.ProduceAsync(traffic.Topic, key: null, value: "charted");
        }
        await using (var consumer = fixture.Client.CreateConsumer())
        {
            consumer.Assign([traffic]);
            consumer.SeekToBeginning([traffic]);
            await Eventually.True(async () => (await consumer.PollAsync(TimeSpan.FromMilliseconds(500))).Count > 0,
                TimeSpan.FromSeconds(30), "the record is read back");
        }

        // The fixture's live member keeps sending heartbeats, which the gateway times.
        JsonElement charts = default;
        (int In, int Out, int Heartbeats, int All) seen = default;
        await Eventually.True(async () =>
        {
            charts = await _http.GetJson("/api/charts");
            var points = charts.GetProperty("points").EnumerateArray().ToList();
            seen = (points.Count(p => p.GetProperty("bytesInPerSec").GetDouble() > 0), points.Count(p => p.GetProperty("bytesOutPerSec").GetDouble() > 0),
                points.Count(p => p.GetProperty("latencyMs").TryGetProperty("gateway Heartbeat", out _)), points.Count);
            return seen is { In: > 0, Out: > 0, Heartbeats: > 0 };
        }, TimeSpan.FromSeconds(30), () => $"the sampler saw the bytes produced and fetched, and the member's heartbeats; of {seen.All} points, {seen.In} had bytes in, {seen.Out} bytes out, {seen.Heartbeats} heartbeats");
        Assert.Equal(1, charts.GetProperty("brokerId").GetInt32());
        Assert.Equal(1000, charts.GetProperty("intervalMs").GetInt32());
        var all = charts.GetProperty("points").EnumerateArray().ToList();
        var times = all.Select(p => p.GetProperty("time").GetInt64()).ToList();
        Assert.Equal(times.Order(), times);
        var latency = all.SelectMany(p => p.GetProperty("latencyMs").EnumerateObject()).ToList();
        Assert.Contains(latency, l => l.Name == "gateway Heartbeat");
        Assert.All(latency, l => Assert.True(l.Value.GetDouble() >= 0));
    }
}
