using AkkaStream.Records.Ids;
using AkkaStream.Storage.Tests.Support;

namespace AkkaStream.Storage.Tests.Log;

public class RetentionTests
{
    [Fact]
    public void Segments_older_than_retention_ms_are_deleted_but_never_the_active_one()
    {
        using var fixture = new LogFixture(LogConfig.Default with { RetentionMs = 10_000 });
        var now = fixture.Time.NowMs;
        fixture.Append(TestBatches.Values(0, 5, timestamp: now - 30_000));
        fixture.Log.Roll();
        fixture.Append(TestBatches.Values(5, 5, timestamp: now - 20_000));
        fixture.Log.Roll();
        fixture.Append(TestBatches.Values(10, 5, timestamp: now - 5_000));
        fixture.Log.Roll();
        fixture.Append(TestBatches.Values(15, 5, timestamp: now - 50_000));

        Assert.Equal(2, fixture.Log.ApplyRetention());
        Assert.Equal(10, fixture.Log.LogStartOffset.Value);
        Assert.Equal([10L, 15], fixture.Log.SegmentBaseOffsets.Select(o => o.Value));

        fixture.Time.Advance(10_000);
        // The third segment expires now; the active one is kept whatever its age.
        Assert.Equal(1, fixture.Log.ApplyRetention());
        Assert.Equal(15, fixture.Log.LogStartOffset.Value);
        Assert.Equal(0, fixture.Log.ApplyRetention());
        Assert.Equal(5, fixture.ReadAll().Count);
    }

    [Fact]
    public void The_oldest_segments_go_while_the_log_is_larger_than_retention_bytes()
    {
        var batch = TestBatches.Values(0, 5, valueBytes: 8);
        using var fixture = new LogFixture(LogConfig.Default with { RetentionBytes = batch.Length * 2 });
        for (var i = 0; i < 5; i++)
        {
            fixture.Append(TestBatches.Values(i * 5, 5, valueBytes: 8, timestamp: fixture.Time.NowMs));
            fixture.Log.Roll();
        }
        fixture.Append(TestBatches.Values(25, 5, valueBytes: 8, timestamp: fixture.Time.NowMs));

        Assert.Equal(4, fixture.Log.ApplyRetention());
        Assert.Equal(batch.Length * 2, fixture.Log.SizeInBytes);
        Assert.Equal(20, fixture.Log.LogStartOffset.Value);
    }

    [Fact]
    public void Retention_never_deletes_a_segment_holding_offsets_at_or_above_the_high_watermark()
    {
        using var fixture = new LogFixture(LogConfig.Default with { RetentionMs = 1 });
        for (var i = 0; i < 3; i++)
        {
            fixture.Append(TestBatches.Values(i * 5, 5, timestamp: 0));
            fixture.Log.Roll();
        }
        fixture.Append(TestBatches.Values(15, 1, timestamp: 0));

        Assert.Equal(1, fixture.Log.ApplyRetention(highWatermark: new Offset(7)));
        Assert.Equal(5, fixture.Log.LogStartOffset.Value);
        Assert.Equal(2, fixture.Log.ApplyRetention(highWatermark: new Offset(16)));
    }

    [Fact]
    public void A_compact_only_log_is_not_deleted_by_age()
    {
        using var fixture = new LogFixture(LogConfig.Default with { RetentionMs = 1, CleanupPolicy = CleanupPolicy.Compact });
        fixture.Append(TestBatches.Keyed(0, 5, timestamp: 0));
        fixture.Log.Roll();
        fixture.Append(TestBatches.Keyed(5, 5, timestamp: 0));
        Assert.Equal(0, fixture.Log.ApplyRetention());
    }

    [Fact]
    public void Retention_by_age_survives_a_restart_through_the_time_index()
    {
        using var fixture = new LogFixture(LogConfig.Default with { RetentionMs = 10_000, IndexIntervalBytes = 1 });
        var now = fixture.Time.NowMs;
        fixture.Append(TestBatches.Values(0, 5, timestamp: now - 5_000));
        fixture.Append(TestBatches.Values(5, 5, timestamp: now - 30_000));
        fixture.Log.Roll();
        fixture.Append(TestBatches.Values(10, 5, timestamp: now));

        fixture.Reopen();
        // The first segment's newest record (now - 4996) is 5 s old: kept, until it is 10 s old.
        Assert.Equal(0, fixture.Log.ApplyRetention());
        fixture.Time.Advance(5_004);
        Assert.Equal(0, fixture.Log.ApplyRetention());
        fixture.Time.Advance(1);
        Assert.Equal(1, fixture.Log.ApplyRetention());
    }
}
