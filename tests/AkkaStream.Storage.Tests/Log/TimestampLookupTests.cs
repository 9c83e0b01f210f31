using AkkaStream.Records.Batches;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Tests.Support;

namespace AkkaStream.Storage.Tests.Log;

public class TimestampLookupTests
{
    [Fact]
    public void Finds_the_first_record_whose_timestamp_is_at_or_after_the_time()
    {
        using var fixture = new LogFixture(LogConfig.Default with { IndexIntervalBytes = 1, SegmentBytes = 600 });
        // Batch i holds records with timestamps 1000*i + 0..9.
        for (var i = 0; i < 20; i++) fixture.Append(TestBatches.Values(i * 10, 10, timestamp: 1_000 * i));

        Assert.Equal(0, fixture.Log.OffsetForTimestamp(0)?.Value);
        Assert.Equal(0, fixture.Log.OffsetForTimestamp(-5)?.Value);
        Assert.Equal(53, fixture.Log.OffsetForTimestamp(5_003)?.Value);
        Assert.Equal(60, fixture.Log.OffsetForTimestamp(5_010)?.Value);
        Assert.Equal(199, fixture.Log.OffsetForTimestamp(19_009)?.Value);
        Assert.Null(fixture.Log.OffsetForTimestamp(19_010));

        fixture.Reopen();
        Assert.Equal(53, fixture.Log.OffsetForTimestamp(5_003)?.Value);
        Assert.Equal(199, fixture.Log.OffsetForTimestamp(19_009)?.Value);
    }

    [Fact]
    public void Out_of_order_create_times_follow_offset_order()
    {
        using var fixture = new LogFixture(LogConfig.Default with { IndexIntervalBytes = 1 });
        fixture.Append(TestBatches.Values(0, 1, timestamp: 500));
        fixture.Append(TestBatches.Values(1, 1, timestamp: 100));
        fixture.Append(TestBatches.Values(2, 1, timestamp: 900));
        Assert.Equal(0, fixture.Log.OffsetForTimestamp(200)?.Value);
        Assert.Equal(2, fixture.Log.OffsetForTimestamp(600)?.Value);
    }

    [Fact]
    public void Lookups_never_return_an_offset_below_the_log_start()
    {
        using var fixture = new LogFixture();
        fixture.Append(TestBatches.Values(0, 10, timestamp: 100));
        fixture.Log.DeleteRecordsBefore(new Offset(4));
        Assert.Equal(4, fixture.Log.OffsetForTimestamp(0)?.Value);
    }

    [Fact]
    public void Log_append_time_batches_answer_with_the_batch()
    {
        using var fixture = new LogFixture(LogConfig.Default with { MessageTimestampType = TimestampType.LogAppendTime });
        fixture.Append(TestBatches.Values(0, 3));
        fixture.Time.Advance(1_000);
        fixture.Append(TestBatches.Values(3, 3));
        Assert.Equal(3, fixture.Log.OffsetForTimestamp(fixture.Time.NowMs)?.Value);
    }
}
