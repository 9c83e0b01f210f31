using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;
using AkkaStream.Storage.Segments;
using AkkaStream.Storage.Tests.Support;

namespace AkkaStream.Storage.Tests.Log;

public class AppendAndReadTests
{
    [Fact]
    public void Appends_take_contiguous_offsets_from_zero_and_stamp_the_epoch()
    {
        using var fixture = new LogFixture();
        var first = fixture.Append(TestBatches.Values(0, 3), epoch: 7);
        var second = fixture.Append(TestBatches.Values(3, 2), epoch: 7);

        Assert.Equal((0L, 2L), (first.FirstOffset.Value, first.LastOffset.Value));
        Assert.Equal((3L, 4L), (second.FirstOffset.Value, second.LastOffset.Value));
        Assert.Equal(5, fixture.Log.LogEndOffset.Value);
        Assert.Equal([(0L, "v0"), (1, "v1"), (2, "v2"), (3, "v3"), (4, "v4")], fixture.ReadAll());

        using var read = fixture.Log.Read(Offset.Zero, 1 << 20);
        RecordBatchHeader.TryRead(read.Records.Span, out var header);
        Assert.Equal(7, header.PartitionLeaderEpoch);
        Assert.Equal(ErrorCode.None, RecordBatch.Validate(read.Records.Span[..header.SizeInBytes], out _));
        Assert.Equal([new AkkaStream.Storage.Epochs.EpochEntry(new LeaderEpoch(7), Offset.Zero)], fixture.Log.Epochs.Entries);
    }

    [Fact]
    public void A_read_starts_with_the_batch_holding_the_offset_and_returns_only_whole_batches()
    {
        using var fixture = new LogFixture();
        var batch = TestBatches.Values(0, 10, valueBytes: 8);
        for (var i = 0; i < 5; i++) fixture.Append(TestBatches.Values(i * 10, 10, valueBytes: 8));

        using var read = fixture.Log.Read(new Offset(15), batch.Length * 2 + 5);
        var records = TestBatches.ReadValues(read.Records.Span);
        Assert.Equal(10, records[0].Offset);
        Assert.Equal(29, records[^1].Offset);
        Assert.Equal(30, read.NextOffset.Value);
        Assert.Equal(batch.Length * 2, read.Length);
    }

    [Fact]
    public void The_first_batch_is_returned_whole_even_when_larger_than_max_bytes()
    {
        using var fixture = new LogFixture();
        fixture.Append(TestBatches.Values(0, 100));

        using var read = fixture.Log.Read(Offset.Zero, 10);
        Assert.Equal(100, TestBatches.ReadValues(read.Records.Span).Count);

        using var none = fixture.Log.Read(Offset.Zero, 10, minOneBatch: false);
        Assert.True(none.IsEmpty);
    }

    [Fact]
    public void Reads_stop_below_the_given_upper_offset()
    {
        using var fixture = new LogFixture();
        for (var i = 0; i < 4; i++) fixture.Append(TestBatches.Values(i * 5, 5));

        using var read = fixture.Log.Read(Offset.Zero, 1 << 20, maxOffset: new Offset(10));
        Assert.Equal(10, TestBatches.ReadValues(read.Records.Span).Count);
        using var atBound = fixture.Log.Read(new Offset(10), 1 << 20, maxOffset: new Offset(10));
        Assert.True(atBound.IsEmpty);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Reading_outside_the_log_is_offset_out_of_range(long offset)
    {
        using var fixture = new LogFixture();
        fixture.Append(TestBatches.Values(0, 10));
        var error = Assert.Throws<AkkaStreamException>(() => fixture.Log.Read(new Offset(offset), 100));
        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
    }

    [Fact]
    public void Reading_at_the_log_end_returns_nothing()
    {
        using var fixture = new LogFixture();
        fixture.Append(TestBatches.Values(0, 10));
        using var read = fixture.Log.Read(new Offset(10), 100);
        Assert.True(read.IsEmpty);
        Assert.Equal(10, read.NextOffset.Value);
    }

    [Fact]
    public void Segments_roll_on_size_and_reads_cross_them()
    {
        var batch = TestBatches.Values(0, 10, valueBytes: 8);
        using var fixture = new LogFixture(LogConfig.Default with { SegmentBytes = batch.Length * 3 });
        for (var i = 0; i < 10; i++) fixture.Append(TestBatches.Values(i * 10, 10, valueBytes: 8));

        Assert.Equal([0L, 30, 60, 90], fixture.Log.SegmentBaseOffsets.Select(o => o.Value));
        Assert.True(File.Exists(Path.Combine(fixture.Directory, "00000000000000000030.log")));
        Assert.True(File.Exists(Path.Combine(fixture.Directory, "00000000000000000030.index")));
        Assert.True(File.Exists(Path.Combine(fixture.Directory, "00000000000000000030.timeindex")));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => ((long)i, $"v{i}")), fixture.ReadAll(maxBytes: 50));
    }

    [Fact]
    public void Segments_roll_on_age_measured_from_the_first_batch_timestamp()
    {
        using var fixture = new LogFixture(LogConfig.Default with { SegmentMs = 1_000 });
        fixture.Append(TestBatches.Values(0, 1, timestamp: 10_000));
        fixture.Append(TestBatches.Values(1, 1, timestamp: 10_500));
        Assert.Equal(1, fixture.Log.SegmentCount);
        fixture.Append(TestBatches.Values(2, 1, timestamp: 11_001));
        Assert.Equal(2, fixture.Log.SegmentCount);
    }

    [Fact]
    public void Segments_roll_when_the_index_is_full()
    {
        var batch = TestBatches.Values(0, 1);
        // Room for two offset index entries; an entry is added after every batch.
        using var fixture = new LogFixture(LogConfig.Default with { SegmentIndexBytes = 24, IndexIntervalBytes = 1 });
        for (var i = 0; i < 10; i++) fixture.Append(TestBatches.Values(i, 1));
        Assert.True(fixture.Log.SegmentCount >= 3);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => ((long)i, $"v{i}")), fixture.ReadAll());
    }

    [Fact]
    public void The_sparse_index_gets_an_entry_every_index_interval_bytes()
    {
        var batch = TestBatches.Values(0, 10, valueBytes: 8);
        using var fixture = new LogFixture(LogConfig.Default with { IndexIntervalBytes = batch.Length * 2 });
        for (var i = 0; i < 20; i++) fixture.Append(TestBatches.Values(i * 10, 10, valueBytes: 8));
        fixture.Log.Flush();

        var indexBytes = File.ReadAllBytes(Path.Combine(fixture.Directory, "00000000000000000000.index"));
        // Entries after the 3rd, 6th, 9th, ... batch: more than 2 intervals' worth of bytes since the last one.
        Assert.Equal(6 * 8, indexBytes.Length);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => ((long)i, $"v{i}")), fixture.ReadAll(from: 0, maxBytes: 1));
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Compressed_batches_are_stored_and_served_as_they_are(CompressionType compression)
    {
        using var fixture = new LogFixture();
        var batch = TestBatches.Values(0, 50, compression: compression, valueBytes: 100);
        var info = fixture.Append((byte[])batch.Clone());
        Assert.Equal(49, info.LastOffset.Value);

        using var read = fixture.Log.Read(Offset.Zero, 1 << 20);
        Assert.Equal(batch.AsSpan(RecordBatchLayout.LogOverhead + 4).ToArray(), read.Records.Span[(RecordBatchLayout.LogOverhead + 4)..].ToArray());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => ((long)i, $"v{i}")), fixture.ReadAll());
    }

    [Fact]
    public void Corrupt_batches_are_refused_and_nothing_is_written()
    {
        using var fixture = new LogFixture();
        var batch = TestBatches.Values(0, 3);
        batch[^1] ^= 0xFF;
        var error = Assert.Throws<CorruptRecordException>(() => fixture.Append(batch));
        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
        Assert.Contains("CRC", error.Message);
        Assert.Equal(0, fixture.Log.LogEndOffset.Value);
        Assert.Equal(0, fixture.Log.SizeInBytes);
    }

    [Fact]
    public void Trailing_bytes_after_the_last_batch_are_refused()
    {
        using var fixture = new LogFixture();
        var batch = TestBatches.Values(0, 3);
        var error = Assert.Throws<CorruptRecordException>(() => fixture.Append([.. batch, 1, 2, 3]));
        Assert.Contains("after its last whole batch", error.Message);
        Assert.Equal(0, fixture.Log.LogEndOffset.Value);
    }

    [Fact]
    public void Batches_above_max_message_bytes_are_refused_with_message_too_large()
    {
        var batch = TestBatches.Values(0, 10);
        using var fixture = new LogFixture(LogConfig.Default with { MaxMessageBytes = batch.Length - 1 });
        var error = Assert.Throws<AkkaStreamException>(() => fixture.Append(batch));
        Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
    }

    [Fact]
    public void A_compacted_log_refuses_records_without_a_key()
    {
        using var fixture = new LogFixture(LogConfig.Default with { CleanupPolicy = CleanupPolicy.Compact });
        var error = Assert.Throws<AkkaStreamException>(() => fixture.Append(TestBatches.Values(0, 3)));
        Assert.Equal(ErrorCode.InvalidRecord, error.Code);
        Assert.Contains("without a key", error.Message);

        using var builder = new RecordBatchBuilder();
        builder.Append(1, "k"u8.ToArray(), "v"u8.ToArray());
        fixture.Append(builder.Build());
        Assert.Equal(1, fixture.Log.LogEndOffset.Value);
    }

    [Fact]
    public void An_empty_append_is_refused()
    {
        using var fixture = new LogFixture();
        var error = Assert.Throws<AkkaStreamException>(() => fixture.Append([]));
        Assert.Equal(ErrorCode.InvalidRecord, error.Code);
    }

    [Fact]
    public void Log_append_time_replaces_the_timestamps_and_keeps_the_batch_valid()
    {
        using var fixture = new LogFixture(LogConfig.Default with { MessageTimestampType = TimestampType.LogAppendTime });
        var info = fixture.Append(TestBatches.Values(0, 3, timestamp: 5));
        Assert.Equal(fixture.Time.NowMs, info.LogAppendTime);

        using var read = fixture.Log.Read(Offset.Zero, 1 << 20);
        RecordBatchHeader.TryRead(read.Records.Span, out var header);
        Assert.Equal(TimestampType.LogAppendTime, header.Attributes.TimestampType);
        Assert.Equal(fixture.Time.NowMs, header.MaxTimestamp);
        Assert.Equal(ErrorCode.None, RecordBatch.Validate(read.Records.Span, out _));
    }

    [Fact]
    public void A_follower_append_keeps_the_leaders_offsets_and_learns_its_epochs()
    {
        using var leader = new LogFixture();
        using var follower = new LogFixture();
        leader.Append(TestBatches.Values(0, 5), epoch: 1);
        leader.Append(TestBatches.Values(5, 5), epoch: 3);

        using (var read = leader.Log.Read(Offset.Zero, 1 << 20))
        {
            var info = follower.Log.AppendAsFollower(read.Records.Span);
            Assert.Equal((0L, 9L), (info.FirstOffset.Value, info.LastOffset.Value));
        }
        Assert.Equal(leader.ReadAll(), follower.ReadAll());
        Assert.Equal(leader.Log.Epochs.Entries, follower.Log.Epochs.Entries);
    }

    [Fact]
    public void A_follower_append_that_does_not_continue_the_log_is_refused()
    {
        using var leader = new LogFixture();
        using var follower = new LogFixture();
        leader.Append(TestBatches.Values(0, 5));
        leader.Append(TestBatches.Values(5, 5));

        using var read = leader.Log.Read(new Offset(5), 1 << 20);
        var error = Assert.Throws<AkkaStreamException>(() => follower.Log.AppendAsFollower(read.Records.Span));
        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
        Assert.Equal(0, follower.Log.LogEndOffset.Value);
    }

    [Fact]
    public void Flush_messages_moves_the_recovery_point()
    {
        using var fixture = new LogFixture(LogConfig.Default with { FlushMessages = 10 });
        fixture.Append(TestBatches.Values(0, 5));
        Assert.Equal(0, fixture.Log.RecoveryPoint.Value);
        fixture.Append(TestBatches.Values(5, 5));
        Assert.Equal(10, fixture.Log.RecoveryPoint.Value);
    }

    [Fact]
    public void Flush_ms_flushes_once_the_interval_has_passed()
    {
        using var fixture = new LogFixture(LogConfig.Default with { FlushMs = 1_000 });
        fixture.Append(TestBatches.Values(0, 5));
        Assert.False(fixture.Log.FlushIfDue());
        fixture.Time.Advance(1_000);
        Assert.True(fixture.Log.FlushIfDue());
        Assert.Equal(5, fixture.Log.RecoveryPoint.Value);
    }

    [Fact]
    public void A_cleanly_closed_log_reopens_with_the_same_content_and_state()
    {
        using var fixture = new LogFixture(LogConfig.Default with { SegmentBytes = 500 });
        for (var i = 0; i < 20; i++) fixture.Append(TestBatches.Values(i * 3, 3), epoch: i / 5);
        var before = fixture.ReadAll();
        var epochs = fixture.Log.Epochs.Entries.ToList();
        var segments = fixture.Log.SegmentBaseOffsets;

        fixture.Reopen();

        Assert.Equal(before, fixture.ReadAll());
        Assert.Equal(60, fixture.Log.LogEndOffset.Value);
        Assert.Equal(epochs, fixture.Log.Epochs.Entries);
        Assert.Equal(segments, fixture.Log.SegmentBaseOffsets);
        if (fixture.Logger.MessagesAtOrAbove(Microsoft.Extensions.Logging.LogLevel.Warning) is { Count: > 0 } warnings) Assert.Fail(string.Join("\n", warnings));
        fixture.Append(TestBatches.Values(60, 1));
        Assert.Equal(61, fixture.Log.LogEndOffset.Value);
    }

    [Fact]
    public void Segment_file_names_are_twenty_digit_base_offsets()
    {
        Assert.Equal("00000000000000000042", SegmentFileNames.Prefix(42));
        Assert.True(SegmentFileNames.TryParseBaseOffset("00000000000000001234.timeindex", out var parsed));
        Assert.Equal(1234, parsed);
        Assert.False(SegmentFileNames.TryParseBaseOffset("1234.log", out _));
    }
}
