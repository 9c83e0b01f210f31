using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Epochs;
using AkkaStream.Storage.Tests.Support;

namespace AkkaStream.Storage.Tests.Log;

public class TruncationTests
{
    private static LogFixture TenBatchesOfFive(int segmentBytes = 400)
    {
        var fixture = new LogFixture(LogConfig.Default with { SegmentBytes = segmentBytes, IndexIntervalBytes = 100 });
        for (var i = 0; i < 10; i++) fixture.Append(TestBatches.Values(i * 5, 5, valueBytes: 8), epoch: i / 3);
        return fixture;
    }

    private static IEnumerable<(long, string)> Expected(int from, int count) =>
        Enumerable.Range(from, count).Select(i => ((long)i, $"v{i}"));

    [Fact]
    public void Truncating_at_a_batch_boundary_ends_the_log_there_and_appends_continue()
    {
        using var fixture = TenBatchesOfFive();
        fixture.Log.TruncateTo(new Offset(20));

        Assert.Equal(20, fixture.Log.LogEndOffset.Value);
        Assert.Equal(Expected(0, 20), fixture.ReadAll());
        fixture.Append(TestBatches.Values(100, 1));
        Assert.Equal(21, fixture.Log.LogEndOffset.Value);
        Assert.Equal((20L, "v100"), fixture.ReadAll()[^1]);
    }

    [Fact]
    public void A_batch_straddling_the_truncation_offset_is_removed_whole()
    {
        using var fixture = TenBatchesOfFive();
        fixture.Log.TruncateTo(new Offset(23));
        Assert.Equal(20, fixture.Log.LogEndOffset.Value);
        Assert.Equal(Expected(0, 20), fixture.ReadAll());
    }

    [Fact]
    public void Truncation_deletes_later_segments_and_survives_reopen_and_crash()
    {
        using var fixture = TenBatchesOfFive();
        Assert.True(fixture.Log.SegmentCount > 3);
        fixture.Log.TruncateTo(new Offset(12));
        Assert.All(fixture.Log.SegmentBaseOffsets, o => Assert.True(o.Value <= 10));

        fixture.Reopen();
        Assert.Equal(Expected(0, 10), fixture.ReadAll());
        fixture.Log.Flush();
        fixture.CrashAndReopen();
        Assert.Equal(Expected(0, 10), fixture.ReadAll());
    }

    [Fact]
    public void Truncation_forgets_epochs_that_started_in_the_removed_part()
    {
        using var fixture = TenBatchesOfFive();
        Assert.Equal(4, fixture.Log.Epochs.Entries.Count);
        fixture.Log.TruncateTo(new Offset(30));
        Assert.Equal(
            [new EpochEntry(new LeaderEpoch(0), new Offset(0)), new EpochEntry(new LeaderEpoch(1), new Offset(15))],
            fixture.Log.Epochs.Entries);
    }

    [Fact]
    public void Truncating_to_the_start_or_beyond_the_end()
    {
        using var fixture = TenBatchesOfFive();
        fixture.Log.TruncateTo(new Offset(100));
        Assert.Equal(50, fixture.Log.LogEndOffset.Value);

        fixture.Log.TruncateTo(Offset.Zero);
        Assert.Equal(0, fixture.Log.LogEndOffset.Value);
        Assert.Equal(1, fixture.Log.SegmentCount);
        Assert.Empty(fixture.Log.Epochs.Entries);
        Assert.Empty(fixture.ReadAll());
    }

    [Fact]
    public void Truncate_fully_and_start_at_moves_both_ends()
    {
        using var fixture = TenBatchesOfFive();
        fixture.Log.TruncateFullyAndStartAt(new Offset(1_000));
        Assert.Equal(1_000, fixture.Log.LogStartOffset.Value);
        Assert.Equal(1_000, fixture.Log.LogEndOffset.Value);
        var info = fixture.Append(TestBatches.Values(0, 2));
        Assert.Equal(1_000, info.FirstOffset.Value);

        fixture.Reopen();
        Assert.Equal(1_000, fixture.Log.LogStartOffset.Value);
        Assert.Equal([(1_000L, "v0"), (1_001, "v1")], fixture.ReadAll());
    }

    [Fact]
    public void Delete_records_before_raises_the_log_start_and_removes_whole_segments_below_it()
    {
        using var fixture = TenBatchesOfFive();
        var segmentsBefore = fixture.Log.SegmentCount;
        fixture.Log.DeleteRecordsBefore(new Offset(22));

        Assert.Equal(22, fixture.Log.LogStartOffset.Value);
        Assert.True(fixture.Log.SegmentCount < segmentsBefore);
        Assert.True(fixture.Log.SegmentBaseOffsets[0].Value <= 22);
        var error = Assert.Throws<AkkaStreamException>(() => fixture.Log.Read(new Offset(21), 100));
        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
        Assert.Equal(Expected(22, 28), fixture.ReadAll());

        fixture.Reopen();
        Assert.Equal(22, fixture.Log.LogStartOffset.Value);
        Assert.Equal(Expected(22, 28), fixture.ReadAll());
    }

    [Fact]
    public void Delete_records_beyond_the_log_end_is_refused()
    {
        using var fixture = TenBatchesOfFive();
        var error = Assert.Throws<AkkaStreamException>(() => fixture.Log.DeleteRecordsBefore(new Offset(51)));
        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
        fixture.Log.DeleteRecordsBefore(new Offset(50));
        Assert.Equal(50, fixture.Log.LogStartOffset.Value);
        Assert.Empty(fixture.ReadAll());
    }
}
