using AkkaStream.Records.Ids;
using AkkaStream.Storage.Cleaner;
using AkkaStream.Storage.Tests.Cleaner;
using AkkaStream.Storage.Tests.Support;

namespace AkkaStream.Storage.Tests.Regressions;

public class IndexAndCleanerRegressionTests
{
    [Fact]
    public void A_full_time_index_does_not_break_the_next_roll()
    {
        // 16 time index entries; two batches per append, so the second one can raise the largest
        // timestamp after the index filled up.
        using var fixture = new LogFixture(LogConfig.Default with { SegmentIndexBytes = 192, IndexIntervalBytes = 1 });
        long timestamp = 1_000;
        for (var i = 0; i < 40; i++)
        {
            fixture.Append([.. TestBatches.Values(2 * i, 1, timestamp++), .. TestBatches.Values(2 * i + 1, 1, timestamp++)]);
        }
        Assert.True(fixture.Log.SegmentCount > 1);
        Assert.Equal(80, fixture.ReadAll().Count);
        fixture.Reopen();
        Assert.Equal(80, fixture.ReadAll().Count);
        Assert.Equal(79, fixture.Log.OffsetForTimestamp(timestamp - 1)?.Value);
    }

    private static CompactedLog FourSegmentsWithKeyAInFirstAndLast()
    {
        var t = new CompactedLog(CompactedLog.DefaultConfig with { SegmentBytes = 300 });
        t.AppendEach(("a", "1"), ("b", "1"));
        t.Roll();
        t.AppendEach(("c", "1"), ("d", "1"));
        t.Roll();
        t.AppendEach(("c", "2"), ("d", "2"));
        t.Roll();
        t.AppendEach(("e", "1"), ("a", "2"));
        t.Roll();
        t.Append(("f", "1"));
        return t;
    }

    [Fact]
    public void A_truncation_after_the_key_map_was_built_refuses_the_swap()
    {
        // Truncating to 6 removes a@7, which the map names as a's latest: swapping in a first
        // group that dropped a@0 would lose the key.
        using var t = FourSegmentsWithKeyAInFirstAndLast();
        var truncated = false;
        var cleaner = new LogCleaner
        {
            OnStep = step =>
            {
                if (step == CleanerStep.CleanedFilesWritten && !truncated)
                {
                    truncated = true;
                    t.Log.TruncateTo(new Offset(6));
                }
            },
        };
        var result = cleaner.Clean(t.Log);

        Assert.True(result.Aborted);
        Assert.Contains(t.ReadAll(), r => r.Key == "a" && r.Value == "1");
    }

    [Fact]
    public void A_truncation_that_cuts_a_segment_being_read_aborts_the_clean_instead_of_reporting_corruption()
    {
        using var t = FourSegmentsWithKeyAInFirstAndLast();
        var cleaner = new LogCleaner
        {
            OnStep = step =>
            {
                if (step == CleanerStep.ReplacementRenamed) t.Log.TruncateTo(new Offset(5));
            },
        };
        var result = cleaner.Clean(t.Log);
        Assert.True(result.Aborted);
        Assert.Equal(5, t.Log.LogEndOffset.Value);
    }
}
