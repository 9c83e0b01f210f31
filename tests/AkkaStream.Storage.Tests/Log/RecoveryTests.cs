using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;
using AkkaStream.Storage.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Tests.Log;

public class RecoveryTests
{
    private static LogConfig Config => LogConfig.Default with { SegmentBytes = 1_000, IndexIntervalBytes = 100, RecoveryPointCheckpointIntervalMs = 0 };

    [Fact]
    public void After_a_crash_flushed_data_is_kept_and_the_log_is_marked_recovered()
    {
        using var fixture = new LogFixture(Config);
        for (var i = 0; i < 20; i++) fixture.Append(TestBatches.Values(i * 5, 5, valueBytes: 8), epoch: i / 4);
        fixture.Log.Flush();
        var epochs = fixture.Log.Epochs.Entries.ToList();

        fixture.CrashAndReopen();

        Assert.Equal(100, fixture.Log.LogEndOffset.Value);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => ((long)i, $"v{i}")), fixture.ReadAll());
        Assert.Equal(epochs, fixture.Log.Epochs.Entries);
        // The log reports its recovery to whoever opened it (the log manager writes the log-recovered event line).
        Assert.False(fixture.Log.Recovery.CleanShutdown);
        Assert.Contains(fixture.Logger.Entries, e => e.Message.Contains("not closed cleanly"));
        Assert.Equal(100, fixture.Log.RecoveryPoint.Value);
    }

    [Fact]
    public void A_torn_tail_is_cut_at_the_last_whole_batch_and_reported()
    {
        using var fixture = new LogFixture(Config);
        for (var i = 0; i < 5; i++) fixture.Append(TestBatches.Values(i * 5, 5));
        fixture.Log.Flush();
        fixture.Append(TestBatches.Values(25, 5));
        var active = Path.Combine(fixture.Directory, Segments.SegmentFileNames.Prefix(fixture.Log.SegmentBaseOffsets[^1].Value) + ".log");

        fixture.CrashAndReopen(() =>
        {
            using var file = File.OpenWrite(active);
            file.SetLength(file.Length - 7);
        });

        Assert.Equal(25, fixture.Log.LogEndOffset.Value);
        Assert.Equal(25, fixture.ReadAll().Count);
        Assert.Contains(fixture.Logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(active) && e.Message.Contains("position"));
        fixture.Append(TestBatches.Values(25, 1));
        Assert.Equal(26, fixture.Log.LogEndOffset.Value);
    }

    [Fact]
    public void Recovery_starts_at_the_recovery_point_not_at_the_start_of_the_log()
    {
        // Damage below the recovery point (here: a CRC-covered byte) is not re-read after a crash,
        // which is what keeps recovery proportional to the unflushed tail. It is found when the
        // recovery point is lost and the whole log is checked.
        // Recovery resumes at the last index entry below the recovery point: index every batch.
        using var fixture = new LogFixture(LogConfig.Default with { RecoveryPointCheckpointIntervalMs = 0, IndexIntervalBytes = 1 });
        for (var i = 0; i < 10; i++) fixture.Append(TestBatches.Values(i * 5, 5));
        fixture.Log.Flush();
        var log = Path.Combine(fixture.Directory, "00000000000000000000.log");
        void FlipLastByteOfFirstBatch()
        {
            var bytes = File.ReadAllBytes(log);
            bytes[TestBatches.Values(0, 5).Length - 1] ^= 0x55;
            File.WriteAllBytes(log, bytes);
        }

        fixture.CrashAndReopen(FlipLastByteOfFirstBatch);
        Assert.Equal(50, fixture.Log.LogEndOffset.Value);

        fixture.CrashAndReopen(() => File.Delete(Path.Combine(fixture.Directory, "recovery-point-offset-checkpoint")));
        Assert.Equal(0, fixture.Log.LogEndOffset.Value);
        Assert.Contains(fixture.Logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("CRC"));
    }

    [Fact]
    public void A_compacted_log_switched_to_deletion_still_recovers_its_offset_gaps()
    {
        using var fixture = new LogFixture(Config with { CleanupPolicy = CleanupPolicy.Compact, MinCleanableDirtyRatio = 0 });
        for (var i = 0; i < 4; i++) fixture.Append(TestBatches.Keyed(0, 3));
        fixture.Log.Roll();
        fixture.Append(TestBatches.Keyed(100, 1));
        new AkkaStream.Storage.Cleaner.LogCleaner().Clean(fixture.Log);
        var compacted = fixture.ReadAll();
        Assert.True(compacted.Count < 13, "the cleaner should have left gaps");

        fixture.Config = Config;
        fixture.Log.UpdateConfig(fixture.Config);
        fixture.CrashAndReopen(() => File.Delete(Path.Combine(fixture.Directory, "recovery-point-offset-checkpoint")));

        Assert.Equal(compacted, fixture.ReadAll());
        Assert.DoesNotContain(fixture.Logger.Entries, e => e.Level == LogLevel.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_lost_epoch_checkpoint_is_rebuilt_from_every_batch(bool cleanShutdown)
    {
        using var fixture = new LogFixture(Config);
        for (var i = 0; i < 12; i++) fixture.Append(TestBatches.Values(i * 5, 5), epoch: i / 3);
        fixture.Log.Flush();
        var epochs = fixture.Log.Epochs.Entries.ToList();
        Assert.Equal(4, epochs.Count);
        var checkpoint = Path.Combine(fixture.Directory, "leader-epoch-checkpoint");

        if (cleanShutdown)
        {
            fixture.Log.Close();
            File.WriteAllText(checkpoint, "garbage");
            fixture.CrashAndReopen();
        }
        else
        {
            fixture.CrashAndReopen(() => File.Delete(checkpoint));
        }

        Assert.Equal(epochs, fixture.Log.Epochs.Entries);
        Assert.Contains(fixture.Logger.Entries, e => e.Message.Contains("Rebuilding the leader-epoch cache"));
    }

    [Fact]
    public void Leftover_files_of_interrupted_operations_are_removed()
    {
        using var fixture = new LogFixture(Config);
        fixture.Append(TestBatches.Values(0, 5));
        fixture.Log.Close();
        foreach (var name in new[] { "00000000000000000000.log.deleted", "00000000000000000003.log.cleaned", "00000000000000000099.index" })
        {
            File.WriteAllText(Path.Combine(fixture.Directory, name), "x");
        }
        var reopened = PartitionLog.Open(fixture.Directory, Config);
        try
        {
            Assert.Equal(5, reopened.LogEndOffset.Value);
            Assert.Equal(
                ["00000000000000000000.index", "00000000000000000000.log", "00000000000000000000.timeindex", "00000000000000000005.snapshot"],
                Directory.GetFiles(fixture.Directory, "0*").Select(Path.GetFileName).Order());
        }
        finally
        {
            reopened.Close();
        }
        fixture.CrashAndReopen();
    }

    [Fact]
    public void An_index_that_disagrees_with_the_log_is_rebuilt_on_first_use()
    {
        using var fixture = new LogFixture(LogConfig.Default with { IndexIntervalBytes = 1 });
        for (var i = 0; i < 10; i++) fixture.Append(TestBatches.Values(i * 5, 5));
        fixture.Log.Close();
        var index = Path.Combine(fixture.Directory, "00000000000000000000.index");
        var bytes = File.ReadAllBytes(index);
        // Make the first entry point one batch too far: ordered and in bounds, but wrong.
        bytes[7] += 1;
        File.WriteAllBytes(index, bytes);

        var reopened = PartitionLog.Open(fixture.Directory, fixture.Config, fixture.Logger);
        try
        {
            using var read = reopened.Read(new Offset(7), 1 << 20);
            Assert.Equal(5, TestBatches.ReadValues(read.Records.Span)[0].Offset);
        }
        finally
        {
            reopened.Close();
        }
        fixture.CrashAndReopen();
        Assert.Equal(50, fixture.ReadAll().Count);
    }
}
