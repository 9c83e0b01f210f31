using AkkaStream.Records.Ids;
using AkkaStream.Storage.Cleaner;

namespace AkkaStream.Storage.Tests.Cleaner;

/// <summary>
/// The swap of cleaned segments interrupted at each step, as a crash would leave it, and the log
/// changing under a clean (appends go on; truncation, retention and DeleteRecords abort the swap).
/// </summary>
public sealed class CleanerSwapTests
{
    private sealed class SimulatedCrash : Exception;

    // segment.bytes 300 with two one-record batches (~70 bytes each) per segment: the first two
    // segments form the first group, the next two the second.
    private static readonly LogConfig Config = CompactedLog.DefaultConfig with { SegmentBytes = 300 };

    /// <summary>
    /// Segments [a1 b1] [c1 d1] [c2 d2] [e1 a2], then the active [f1]. The first group keeps only
    /// b1: its second segment loses every record, so its output ends with an emptied batch at d1's
    /// offset, which is what tells a swap completion to replace both segments.
    /// </summary>
    private static void Populate(CompactedLog t)
    {
        t.AppendEach(("a", "1"), ("b", "1"));
        t.Roll();
        t.AppendEach(("c", "1"), ("d", "1"));
        t.Roll();
        t.AppendEach(("c", "2"), ("d", "2"));
        t.Roll();
        t.AppendEach(("e", "1"), ("a", "2"));
        t.Roll();
        t.Append(("f", "1"));
    }

    // Step names (CleanerStep is internal), which occurrence of it crashes, and whether the swap was decided by then.
    public static TheoryData<string, int, bool> CrashPoints => new()
    {
        { nameof(CleanerStep.CleanedFilesWritten), 1, false },
        { nameof(CleanerStep.SwapFilesWritten), 1, true },
        { nameof(CleanerStep.OldSegmentRenamed), 1, true },
        { nameof(CleanerStep.OldSegmentRenamed), 2, true },
        { nameof(CleanerStep.ReplacementRenamed), 1, true },
    };

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public void A_crash_at_any_step_of_a_swap_reopens_as_before_or_after_it(string stepName, int occurrence, bool swapDecided)
    {
        var step = Enum.Parse<CleanerStep>(stepName);
        using var reference = new CompactedLog(Config);
        Populate(reference);
        var pre = reference.ReadAll();
        var afterFirstGroup = pre.Where(r => r.Offset is not (0 or 2 or 3)).ToList();
        new LogCleaner().Clean(reference.Log);
        var fullyCleaned = reference.ReadAll();

        using var t = new CompactedLog(Config);
        Populate(t);
        var seen = 0;
        var cleaner = new LogCleaner
        {
            OnStep = s =>
            {
                if (s == step && ++seen == occurrence) throw new SimulatedCrash();
            },
        };
        Assert.Throws<SimulatedCrash>(() => cleaner.Clean(t.Log));

        t.CrashAndReopen();

        Assert.Equal(swapDecided ? afterFirstGroup : pre, t.ReadAll());
        Assert.Equal(new Offset(9), t.Log.LogEndOffset);
        Assert.Empty(t.FilesEndingWith(".cleaned"));
        Assert.Empty(t.FilesEndingWith(".swap"));
        Assert.Empty(t.FilesEndingWith(".deleted"));
        Assert.Equal(swapDecided ? 4 : 5, t.Log.SegmentCount);

        // The log is whole: a new run finishes the job, and it survives another reopen.
        new LogCleaner().Clean(t.Log);
        Assert.Equal(fullyCleaned, t.ReadAll());
        t.CrashAndReopen();
        Assert.Equal(fullyCleaned, t.ReadAll());
    }

    [Fact]
    public void Leftover_index_swap_files_without_their_log_are_dropped()
    {
        using var t = new CompactedLog(Config);
        Populate(t);
        var pre = t.ReadAll();
        t.Log.Abandon();
        File.WriteAllBytes(Path.Combine(t.Directory, "00000000000000000000.index.swap"), new byte[8]);
        File.WriteAllBytes(Path.Combine(t.Directory, "00000000000000000000.log.cleaned"), new byte[100]);

        t.CrashAndReopen();

        Assert.Equal(pre, t.ReadAll());
        Assert.Empty(t.FilesEndingWith(".swap"));
        Assert.Empty(t.FilesEndingWith(".cleaned"));
    }

    [Fact]
    public void Appends_go_on_while_segments_are_being_cleaned()
    {
        using var t = new CompactedLog(Config);
        Populate(t);
        var appended = 0;
        var cleaner = new LogCleaner
        {
            OnStep = s =>
            {
                // The log's lock is not held while the cleaner writes: this would deadlock otherwise
                // on another thread, and here would interleave with the copy.
                if (s == CleanerStep.CleanedFilesWritten)
                {
                    var task = Task.Run(() => t.Append(("g", appended.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                    Assert.True(task.Wait(TimeSpan.FromSeconds(10)));
                    appended++;
                }
            },
        };

        var result = cleaner.Clean(t.Log);

        Assert.False(result.Aborted);
        Assert.Equal(2, appended);
        var records = t.ReadAll();
        Assert.Equal([1L, 4, 5, 6, 7, 8, 9, 10], records.Select(r => r.Offset));
        Assert.Equal(["0", "1"], records.Where(r => r.Key == "g").Select(r => r.Value));
    }

    [Fact]
    public void Truncation_during_a_clean_aborts_the_swap()
    {
        using var t = new CompactedLog(Config);
        Populate(t);
        var cleaner = new LogCleaner
        {
            OnStep = s =>
            {
                if (s == CleanerStep.SwapFilesWritten) t.Log.TruncateTo(new Offset(3));
            },
        };

        var result = cleaner.Clean(t.Log);

        Assert.True(result.Aborted);
        Assert.Equal(0, result.SegmentsBefore);
        Assert.Equal([0L, 1, 2], t.ReadAll().Select(r => r.Offset));
        Assert.Empty(t.FilesEndingWith(".swap"));
        Assert.Empty(t.FilesEndingWith(".cleaned"));
        Assert.False(File.Exists(Path.Combine(t.Directory, CleanerCheckpoint.FileName)));
        t.CrashAndReopen();
        Assert.Equal([0L, 1, 2], t.ReadAll().Select(r => r.Offset));
    }

    [Fact]
    public void Deleting_records_during_a_clean_aborts_the_swap()
    {
        using var t = new CompactedLog(Config);
        Populate(t);
        var cleaner = new LogCleaner
        {
            OnStep = s =>
            {
                if (s == CleanerStep.CleanedFilesWritten) t.Log.DeleteRecordsBefore(new Offset(2));
            },
        };

        var result = cleaner.Clean(t.Log);

        Assert.True(result.Aborted);
        Assert.Equal([2L, 3, 4, 5, 6, 7, 8], t.ReadAll().Select(r => r.Offset));
        Assert.Empty(t.FilesEndingWith(".swap"));

        // The next run starts from the new log start.
        new LogCleaner().Clean(t.Log);
        Assert.Equal([4L, 5, 6, 7, 8], t.ReadAll().Select(r => r.Offset));
    }

    [Fact]
    public void A_log_is_cleaned_by_one_run_at_a_time()
    {
        using var t = new CompactedLog(Config);
        Populate(t);
        var cleaner = new LogCleaner();
        cleaner.OnStep = s =>
        {
            if (s == CleanerStep.CleanedFilesWritten) Assert.Throws<InvalidOperationException>(() => new LogCleaner().Clean(t.Log));
        };

        Assert.False(cleaner.Clean(t.Log).Aborted);
    }
}
