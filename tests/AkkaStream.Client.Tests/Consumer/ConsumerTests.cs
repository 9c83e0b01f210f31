using System.Text;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Tests.TestSupport;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Tests.Consumer;

public sealed class ConsumerTests() : FakeCluster
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TopicPartition Orders2 = new("orders", 2);

    private static FetchResponse Fetched(byte[] records, long highWatermark = 100) =>
        new(Orders2.Topic, Orders2.Partition, ErrorCode.None, null, highWatermark, 0, records);

    [Fact]
    public async Task Decodes_batches_skips_records_below_the_position_and_pipelines_the_next_fetch()
    {
        await using var consumer = Client.CreateConsumer();
        consumer.Assign([Orders2]);
        consumer.Seek(Orders2, 12);

        var fetch = Broker1.FishForMessage<FetchRequest>(_ => true, Wait);
        Assert.Equal((12L, 5), (fetch.Offset, fetch.LeaderEpoch));
        Broker1.Reply(Fetched([.. Batch(10, 5), .. Batch(15, 2, CompressionType.Lz4)]));

        // The next fetch leaves before the application polls.
        var next = Broker1.ExpectMsg<FetchRequest>(Wait);
        Assert.Equal(17, next.Offset);

        var records = await consumer.PollAsync(Wait);
        Assert.Equal([12L, 13, 14, 15, 16], records.Select(r => r.Offset));
        var first = records[0];
        Assert.Equal(("k12", "v12", 1_002L), (Encoding.UTF8.GetString(first.Key!), Encoding.UTF8.GetString(first.Value!), first.Timestamp));
        Assert.Equal("h", Assert.Single(first.Headers).Key);
        Assert.Equal(17, (await consumer.PositionsAsync())[Orders2]);
    }

    [Fact]
    public async Task An_answer_to_a_fetch_from_before_the_partition_was_unassigned_is_dropped_after_it_is_assigned_again()
    {
        await using var consumer = Client.CreateConsumer();
        consumer.Assign([Orders2]);
        consumer.Seek(Orders2, 12);
        Broker1.FishForMessage<FetchRequest>(f => f.Offset == 12, Wait);
        var oldFetch = Broker1.LastSender;

        // Given up and taken again (as a group member keeps a partition across an eager rebalance),
        // now from offset 5; the fetch from 12 is still out.
        consumer.Assign([]);
        consumer.Assign([Orders2]);
        consumer.Seek(Orders2, 5);
        Broker1.FishForMessage<FetchRequest>(f => f.Offset == 5, Wait);
        var newFetch = Broker1.LastSender;
        oldFetch.Tell(Fetched(Batch(12, 5)), Broker1.Ref);
        newFetch.Tell(Fetched(Batch(5, 3)), Broker1.Ref);
        // The old answer did not end the new request either: the next fetch is the one after it.
        Assert.Equal(8, Broker1.ExpectMsg<FetchRequest>(Wait).Offset);

        // Records from 12 on in place of 5 to 11 would be a gap nobody ever consumes.
        var records = await consumer.PollAsync(Wait);
        Assert.Equal([5L, 6, 7], records.Select(r => r.Offset));
        Assert.Equal(8, (await consumer.PositionsAsync())[Orders2]);
    }

    [Fact]
    public async Task A_cancelled_poll_leaves_the_records_that_arrive_after_it_to_the_next_poll()
    {
        await using var consumer = Client.CreateConsumer();
        consumer.Assign([Orders2]);
        consumer.Seek(Orders2, 0);
        Broker1.FishForMessage<FetchRequest>(f => f.Offset == 0, Wait);

        using var cancel = new CancellationTokenSource();
        var cancelled = consumer.PollAsync(TimeSpan.FromSeconds(30), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Broker1.Reply(Fetched(Batch(0, 3)));

        // Not handed to the cancelled poll (nobody would have seen them), so not skipped.
        var records = await consumer.PollAsync(Wait);
        Assert.Equal([0L, 1, 2], records.Select(r => r.Offset));
    }

    [Fact]
    public async Task The_next_fetch_leaves_once_fewer_records_are_buffered_than_the_last_fetch_brought()
    {
        await using var consumer = Client.CreateConsumer(Settings.Consumer with { MaxPollRecords = 2 });
        consumer.Assign([Orders2]);
        consumer.Seek(Orders2, 0);

        Broker1.FishForMessage<FetchRequest>(_ => true, Wait);
        using (var builder = new RecordBatchBuilder())
        {
            for (var i = 0; i < 6; i++)
            {
                builder.Append(1_000, null, Encoding.UTF8.GetBytes($"v{i}"));
            }
            Broker1.Reply(Fetched(builder.Build()));
        }

        // Six buffered, as many as the fetch brought: one fetch ahead is enough.
        Broker1.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var records = await consumer.PollAsync(Wait);
        Assert.Equal([0L, 1], records.Select(r => r.Offset));
        Assert.All(records, r => Assert.Empty(r.Headers));
        // Four left, fewer than the last fetch brought, though more than a poll takes.
        Assert.Equal(6, Broker1.ExpectMsg<FetchRequest>(Wait).Offset);
    }

    [Fact]
    public async Task Poll_returns_empty_after_its_timeout_when_nothing_arrives()
    {
        await using var consumer = Client.CreateConsumer();
        consumer.Assign([Orders2]);
        consumer.Seek(Orders2, 0);

        Broker1.ExpectMsg<FetchRequest>(Wait);
        var records = await consumer.PollAsync(TimeSpan.FromMilliseconds(200));

        Assert.Empty(records);
    }

    [Fact]
    public async Task Without_a_position_the_consumer_starts_at_the_latest_offset_by_default()
    {
        await using var consumer = Client.CreateConsumer();
        consumer.Assign([Orders2]);

        var list = Broker1.ExpectMsg<ListOffsetsRequest>(Wait);
        Assert.Equal(ListOffsetsRequest.Latest, list.Timestamp);
        Broker1.Reply(new ListOffsetsResponse(Orders2.Topic, Orders2.Partition, ErrorCode.None, null, 40, 5));

        Assert.Equal(40, Broker1.ExpectMsg<FetchRequest>(Wait).Offset);
    }

    [Fact]
    public async Task OffsetOutOfRange_resets_to_the_earliest_offset_when_told_to()
    {
        await using var consumer = Client.CreateConsumer(Settings.Consumer with { AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign([Orders2]);
        Broker1.ExpectMsg<ListOffsetsRequest>(Wait);
        consumer.Seek(Orders2, 100);

        var fetch = Broker1.FishForMessage<FetchRequest>(f => f.Offset == 100, Wait);
        Broker1.Reply(FetchResponse.Failed(Orders2.Topic, Orders2.Partition, ErrorCode.OffsetOutOfRange, "below the log start"));

        var list = Broker1.ExpectMsg<ListOffsetsRequest>(Wait);
        Assert.Equal(ListOffsetsRequest.Earliest, list.Timestamp);
        Broker1.Reply(new ListOffsetsResponse(Orders2.Topic, Orders2.Partition, ErrorCode.None, null, 5, 5));
        Assert.Equal(5, Broker1.ExpectMsg<FetchRequest>(Wait).Offset);
        Broker1.Reply(Fetched(Batch(5, 1)));
        Assert.Equal(5, Assert.Single(await consumer.PollAsync(Wait)).Offset);
    }

    [Fact]
    public async Task OffsetOutOfRange_fails_the_poll_when_auto_offset_reset_is_none()
    {
        await using var consumer = Client.CreateConsumer(Settings.Consumer with { AutoOffsetReset = AutoOffsetReset.None });
        consumer.Assign([Orders2]);
        consumer.Seek(Orders2, 100);

        Broker1.ExpectMsg<FetchRequest>(Wait);
        Broker1.Reply(FetchResponse.Failed(Orders2.Topic, Orders2.Partition, ErrorCode.OffsetOutOfRange, "below the log start"));

        var error = await Assert.ThrowsAsync<AkkaStreamException>(() => consumer.PollAsync(Wait));
        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
    }

    [Fact]
    public async Task A_corrupt_batch_fails_the_poll_with_CorruptMessage()
    {
        await using var consumer = Client.CreateConsumer();
        consumer.Assign([Orders2]);
        consumer.Seek(Orders2, 0);
        var batch = Batch(0, 2);
        batch[^1] ^= 0xFF;

        Broker1.FishForMessage<FetchRequest>(_ => true, Wait);
        Broker1.Reply(Fetched(batch));

        var error = await Assert.ThrowsAsync<CorruptRecordException>(() => consumer.PollAsync(Wait));
        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
    }

    [Fact]
    public async Task NotLeaderOrFollower_moves_the_fetch_to_the_new_leader()
    {
        await using var consumer = Client.CreateConsumer();
        consumer.Assign([Orders2]);
        consumer.Seek(Orders2, 3);
        Broker1.FishForMessage<FetchRequest>(_ => true, Wait);

        Metadata = MetadataFor(("orders", 6, 2));
        Broker1.Reply(FetchResponse.Failed(Orders2.Topic, Orders2.Partition, ErrorCode.NotLeaderOrFollower, "moved"));

        Assert.Equal(3, Broker2.ExpectMsg<FetchRequest>(Wait).Offset);
    }

    [Fact]
    public async Task OffsetsForTimes_asks_the_leader()
    {
        await using var consumer = Client.CreateConsumer();

        var lookup = consumer.OffsetsForTimesAsync([Orders2], 1_234);

        var request = Broker1.ExpectMsg<ListOffsetsRequest>(Wait);
        Assert.Equal(1_234, request.Timestamp);
        Broker1.Reply(new ListOffsetsResponse(Orders2.Topic, Orders2.Partition, ErrorCode.None, null, 77, 5));
        Assert.Equal(77, (await lookup.WaitAsync(Wait))[Orders2]);
    }
}
