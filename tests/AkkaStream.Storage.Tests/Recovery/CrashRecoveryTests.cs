using AkkaStream.Records.Ids;
using AkkaStream.Storage.Epochs;
using AkkaStream.Storage.Log;
using AkkaStream.Storage.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Tests.Recovery;

/// <summary>
/// Crashes followed by the damage a crash (or a disk) can do to a partition's files, at random
/// positions from fixed seeds: the log that comes back must serve a valid prefix of what was
/// written, keep everything flushed when only unflushed bytes were hurt, report what it cut, and
/// take appends at its new end. See <see cref="CrashScenario"/> for the checks.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Iterations = 30;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_last_segment_cut_after_the_recovery_point_keeps_every_whole_batch_before_the_cut(int seed)
    {
        for (var i = 0; i < Iterations; i++)
        {
            using var scenario = CrashScenario.Write(seed * 1_000 + i);
            var last = scenario.SegmentBases[^1];
            var (unflushedSegment, unflushedPosition) = scenario.UnflushedStart();
            var from = unflushedSegment == last ? unflushedPosition : 0;
            var size = new FileInfo(scenario.LogFile(last)).Length;
            var cut = scenario.Random.NextInt64(from, size);
            var context = $"seed {seed * 1_000 + i}: {scenario.LogFile(last)} cut at {cut} of {size} (unflushed from {from}, recovery point {scenario.RecoveryPoint})";

            CrashScenario.CutFile(scenario.LogFile(last), cut);
            scenario.Reopen();

            var firstLost = scenario.Written.First(b => b.SegmentBase == last && b.Position + b.SizeInBytes > cut);
            Assert.True(scenario.Log.LogEndOffset.Value == firstLost.BaseOffset, $"{context}: the log ends at {scenario.Log.LogEndOffset}, expected {firstLost.BaseOffset}");
            Assert.True(scenario.Log.LogEndOffset.Value >= scenario.RecoveryPoint, context);
            scenario.AssertServesValidPrefix(context);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Flipped_bytes_in_the_unflushed_part_cut_the_log_at_the_first_damaged_batch(int seed)
    {
        for (var i = 0; i < Iterations; i++)
        {
            using var scenario = CrashScenario.Write(seed * 1_000 + i);
            var (unflushedSegment, unflushedPosition) = scenario.UnflushedStart();
            var candidates = scenario.SegmentBases.Where(b => b >= unflushedSegment)
                .Select(b => (Base: b, From: b == unflushedSegment ? unflushedPosition : 0, Size: new FileInfo(scenario.LogFile(b)).Length))
                .Where(s => s.Size > s.From)
                .ToList();
            if (candidates.Count == 0) continue;
            var flips = new List<(long, long)>();
            for (var n = scenario.Random.Next(1, 4); n > 0; n--)
            {
                var segment = candidates[scenario.Random.Next(candidates.Count)];
                var position = scenario.Random.NextInt64(segment.From, segment.Size);
                scenario.FlipByte(scenario.LogFile(segment.Base), position);
                flips.Add((segment.Base, position));
            }
            var context = $"seed {seed * 1_000 + i}: flipped {string.Join(", ", flips)} (recovery point {scenario.RecoveryPoint})";

            scenario.Reopen();

            var expectedEnd = scenario.FirstDetectablyDamaged(flips) ?? scenario.LogEndOffset;
            Assert.True(scenario.Log.LogEndOffset.Value == expectedEnd, $"{context}: the log ends at {scenario.Log.LogEndOffset}, expected {expectedEnd}");
            Assert.True(scenario.Log.LogEndOffset.Value >= scenario.RecoveryPoint, context);
            scenario.AssertServesValidPrefix(context);
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Garbage_after_the_last_batch_is_cut_and_reported_and_nothing_written_is_lost(int seed, bool zeros)
    {
        for (var i = 0; i < Iterations; i++)
        {
            using var scenario = CrashScenario.Write(seed * 1_000 + i);
            var path = scenario.LogFile(scenario.SegmentBases[^1]);
            var size = new FileInfo(path).Length;
            var garbage = new byte[scenario.Random.Next(1, 300)];
            if (!zeros) scenario.Random.NextBytes(garbage);
            var context = $"seed {seed * 1_000 + i}: {garbage.Length} bytes of {(zeros ? "zeros" : "garbage")} after {size} in {path}";

            CrashScenario.AppendBytes(path, garbage);
            scenario.Reopen();

            scenario.AssertNothingLost(context);
            Assert.Equal(size, new FileInfo(path).Length);
            // What recovery reports (the broker's log-recovered line): the garbage cut, nothing deleted.
            Assert.Equal((false, garbage.Length, 0), (scenario.Log.Recovery.CleanShutdown, scenario.Log.Recovery.TruncatedBytes, scenario.Log.Recovery.DeletedSegments));
            scenario.AssertServesValidPrefix(context);
        }
    }

    public enum IndexDamage { Cut, Flip, Delete, Garbage }

    [Theory]
    [InlineData(1, IndexDamage.Cut)]
    [InlineData(2, IndexDamage.Flip)]
    [InlineData(3, IndexDamage.Delete)]
    [InlineData(4, IndexDamage.Garbage)]
    public void Damaged_indexes_of_any_segment_are_rebuilt_from_the_log_and_no_data_is_lost(int seed, IndexDamage damage)
    {
        for (var i = 0; i < Iterations; i++)
        {
            using var scenario = CrashScenario.Write(seed * 1_000 + i);
            var damaged = new List<string>();
            var mustWarn = new List<string>();
            foreach (var segment in scenario.SegmentBases.Where(_ => scenario.Random.Next(2) == 0).DefaultIfEmpty(scenario.SegmentBases[0]))
            {
                var path = scenario.Random.Next(2) == 0 ? scenario.IndexFile(segment) : scenario.TimeIndexFile(segment);
                var entrySize = path.EndsWith(".index", StringComparison.Ordinal) ? 8 : 12;
                var length = new FileInfo(path).Length;
                damaged.Add($"{damage} {Path.GetFileName(path)} ({length} bytes)");
                switch (damage)
                {
                    case IndexDamage.Cut when length > 0:
                        var cut = scenario.Random.NextInt64(0, length);
                        CrashScenario.CutFile(path, cut);
                        if (cut % entrySize != 0) mustWarn.Add(scenario.LogFile(segment));
                        break;
                    case IndexDamage.Flip when length > 0:
                        scenario.FlipByte(path, scenario.Random.NextInt64(0, length));
                        break;
                    case IndexDamage.Delete:
                        File.Delete(path);
                        break;
                    case IndexDamage.Garbage:
                        var garbage = new byte[scenario.Random.Next(1, 40)];
                        scenario.Random.NextBytes(garbage);
                        CrashScenario.AppendBytes(path, garbage);
                        if ((length + garbage.Length) % entrySize != 0) mustWarn.Add(scenario.LogFile(segment));
                        break;
                }
            }
            var context = $"seed {seed * 1_000 + i}: {string.Join(", ", damaged)}";

            scenario.Reopen();

            scenario.AssertNothingLost(context);
            var warnings = scenario.Logger.MessagesAtOrAbove(LogLevel.Warning);
            foreach (var logPath in mustWarn)
            {
                Assert.True(warnings.Any(w => w.Contains(logPath) && w.Contains("rebuilding")), $"{context}: no warning that the index of {logPath} is rebuilt");
            }
            scenario.AssertTimestampLookupsMatchTheLog(context);
            scenario.Fixture.Reopen();
            scenario.AssertIndexesMatchTheLog(context);
            scenario.AssertTimestampLookupsMatchTheLog(context);
            scenario.AssertServesValidPrefix(context);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Without_a_recovery_point_every_batch_is_checked_and_any_flipped_byte_cuts_the_log_there(int seed)
    {
        for (var i = 0; i < Iterations; i++)
        {
            using var scenario = CrashScenario.Write(seed * 1_000 + i);
            File.Delete(Path.Combine(scenario.Directory, "recovery-point-offset-checkpoint"));
            var flips = new List<(long, long)>();
            for (var n = scenario.Random.Next(1, 4); n > 0; n--)
            {
                var segment = scenario.SegmentBases[scenario.Random.Next(scenario.SegmentBases.Count)];
                var size = new FileInfo(scenario.LogFile(segment)).Length;
                if (size == 0) continue;
                var position = scenario.Random.NextInt64(0, size);
                scenario.FlipByte(scenario.LogFile(segment), position);
                flips.Add((segment, position));
            }
            var context = $"seed {seed * 1_000 + i}: no recovery point, flipped {string.Join(", ", flips)}";

            scenario.Reopen();

            var expectedEnd = scenario.FirstDetectablyDamaged(flips) ?? scenario.LogEndOffset;
            Assert.True(scenario.Log.LogEndOffset.Value == expectedEnd, $"{context}: the log ends at {scenario.Log.LogEndOffset}, expected {expectedEnd}");
            scenario.AssertServesValidPrefix(context);
        }
    }

    public static TheoryData<string, string> CorruptEpochCheckpoints => new()
    {
        { "garbage", "not a checkpoint\n" },
        { "cut short", "0\n3\n0 0\n" },
        { "out of order", "0\n2\n3 10\n1 20\n" },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(CorruptEpochCheckpoints))]
    public void A_corrupt_epoch_checkpoint_is_reported_and_the_epochs_after_the_recovery_point_are_learned_again(string kind, string content)
    {
        for (var i = 0; i < 10; i++)
        {
            using var scenario = CrashScenario.Write(7_000 + i);
            File.WriteAllText(Path.Combine(scenario.Directory, LeaderEpochCache.FileName), content);
            var context = $"seed {7_000 + i}: {kind} epoch checkpoint, recovery point {scenario.RecoveryPoint}";

            scenario.Reopen();

            Assert.True(scenario.Logger.MessagesAtOrAbove(LogLevel.Warning).Any(e => e.Contains(LeaderEpochCache.FileName)), $"{context}: not reported");
            scenario.AssertNothingLost(context);
            // Recovery walks the batches from the recovery point (from the index entry at or before
            // it): every batch from there maps to the epoch it was written with, the first entry
            // starts at a batch of its epoch, and every later entry is one the log had before.
            var entries = scenario.Log.Epochs.Entries;
            var history = $"[{string.Join(", ", entries)}], before the crash [{string.Join(", ", scenario.Epochs)}]";
            foreach (var batch in scenario.Written.Where(b => b.BaseOffset >= scenario.RecoveryPoint))
            {
                Assert.True(scenario.Log.Epochs.EpochFor(new Offset(batch.BaseOffset))?.Value == batch.Epoch
                    && scenario.Log.Epochs.EpochFor(new Offset(batch.LastOffset))?.Value == batch.Epoch,
                    $"{context}: batch {batch.BaseOffset} of epoch {batch.Epoch} is not in the rebuilt history {history}");
            }
            for (var e = 0; e < entries.Count; e++)
            {
                Assert.True(scenario.Written.Any(b => b.BaseOffset == entries[e].StartOffset.Value && b.Epoch == entries[e].Epoch.Value),
                    $"{context}: entry {entries[e]} starts at no batch of its epoch: {history}");
                Assert.True(e == 0 || scenario.Epochs.Contains(entries[e]), $"{context}: entry {entries[e]} was not in the history: {history}");
            }
            scenario.AssertServesValidPrefix(context);
        }
    }

    [Fact]
    public void A_corrupt_epoch_checkpoint_without_a_recovery_point_is_rebuilt_from_the_whole_log()
    {
        for (var i = 0; i < 10; i++)
        {
            using var scenario = CrashScenario.Write(8_000 + i);
            File.WriteAllText(Path.Combine(scenario.Directory, LeaderEpochCache.FileName), "0\n1\nx y\n");
            File.Delete(Path.Combine(scenario.Directory, "recovery-point-offset-checkpoint"));

            scenario.Reopen();

            Assert.Equal(scenario.Epochs, scenario.Log.Epochs.Entries);
            scenario.AssertServesValidPrefix($"seed {8_000 + i}");
        }
    }

    [Fact]
    public void A_crash_without_damage_keeps_everything_and_needs_no_cut()
    {
        for (var i = 0; i < 10; i++)
        {
            using var scenario = CrashScenario.Write(9_000 + i, flush: i % 2 == 0);
            scenario.Reopen();
            var context = $"seed {9_000 + i}";
            scenario.AssertNothingLost(context);
            Assert.Equal(scenario.Epochs, scenario.Log.Epochs.Entries);
            var recovery = scenario.Log.Recovery;
            Assert.Equal((false, scenario.RecoveryPoint, 0L), (recovery.CleanShutdown, recovery.RecoveryPoint, recovery.TruncatedBytes));
            Assert.Equal(scenario.Log.LogEndOffset.Value - scenario.RecoveryPoint, recovery.RecordsRecovered);
            Assert.Empty(scenario.Logger.MessagesAtOrAbove(LogLevel.Error));
            scenario.AssertTimestampLookupsMatchTheLog(context);
            scenario.AssertServesValidPrefix(context);
        }
    }

    [Theory]
    [InlineData(IndexDamage.Cut)]
    [InlineData(IndexDamage.Flip)]
    [InlineData(IndexDamage.Delete)]
    [InlineData(IndexDamage.Garbage)]
    public void A_cleanly_closed_log_whose_indexes_were_damaged_afterwards_reopens_with_all_data(IndexDamage damage)
    {
        var batch = TestBatches.Values(0, 5, valueBytes: 20);
        using var fixture = new LogFixture(LogConfig.Default with { SegmentBytes = batch.Length * 8, IndexIntervalBytes = batch.Length });
        for (var i = 0; i < 40; i++) fixture.Append(TestBatches.Values(i * 5, 5, timestamp: 10_000 + i * 10, valueBytes: 20));
        var written = fixture.ReadAll();
        fixture.Log.Close();
        var random = new Random((int)damage);
        foreach (var path in Directory.EnumerateFiles(fixture.Directory, "*.index").Concat(Directory.EnumerateFiles(fixture.Directory, "*.timeindex")))
        {
            var length = new FileInfo(path).Length;
            Assert.True(length > 0, $"{path} is empty after a clean close");
            switch (damage)
            {
                case IndexDamage.Cut: CrashScenario.CutFile(path, length - 3); break;
                case IndexDamage.Flip:
                    using (var file = File.Open(path, FileMode.Open))
                    {
                        file.Position = random.NextInt64(0, length);
                        file.WriteByte(0xFF);
                    }
                    break;
                case IndexDamage.Delete: File.Delete(path); break;
                case IndexDamage.Garbage: CrashScenario.AppendBytes(path, [1, 2, 3, 4, 5]); break;
            }
        }

        fixture.Reopen();

        Assert.Equal(200, fixture.Log.LogEndOffset.Value);
        Assert.Equal(written, fixture.ReadAll());
        for (var offset = 0; offset < 200; offset++)
        {
            using var read = fixture.Log.Read(new Offset(offset), 1);
            Assert.Equal(offset / 5 * 5, TestBatches.ReadValues(read.Records.Span)[0].Offset);
        }
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(i * 5, fixture.Log.OffsetForTimestamp(10_000 + i * 10)?.Value);
        }
        if (damage is IndexDamage.Cut or IndexDamage.Garbage)
        {
            Assert.Contains(fixture.Logger.MessagesAtOrAbove(LogLevel.Warning), w => w.Contains("rebuilding"));
        }
    }

    [Fact]
    public void A_log_whose_records_were_all_deleted_keeps_its_epoch_across_a_crash_and_a_clean_reopen()
    {
        using var fixture = new LogFixture(LogConfig.Default with { RecoveryPointCheckpointIntervalMs = 0 });
        fixture.Append(TestBatches.Values(0, 5), epoch: 2);
        fixture.Append(TestBatches.Values(5, 5), epoch: 4);
        fixture.Log.DeleteRecordsBefore(new Offset(10));
        fixture.Log.Flush();
        var epochs = fixture.Log.Epochs.Entries.ToList();
        Assert.Equal([new EpochEntry(new LeaderEpoch(4), new Offset(10))], epochs);

        fixture.CrashAndReopen();
        Assert.Equal(epochs, fixture.Log.Epochs.Entries);
        fixture.Reopen();
        Assert.Equal(epochs, fixture.Log.Epochs.Entries);
        Assert.Equal((10L, 10L), (fixture.Log.LogStartOffset.Value, fixture.Log.LogEndOffset.Value));
    }

    [Fact]
    public void Truncating_into_the_batch_that_holds_the_log_start_brings_the_log_start_down_to_the_new_end()
    {
        using var fixture = new LogFixture();
        fixture.Append(TestBatches.Values(0, 10));
        fixture.Log.DeleteRecordsBefore(new Offset(4));
        fixture.Log.TruncateTo(new Offset(6));

        Assert.Equal((0L, 0L), (fixture.Log.LogStartOffset.Value, fixture.Log.LogEndOffset.Value));
        fixture.Append(TestBatches.Values(100, 2));
        Assert.Equal([(0L, "v100"), (1L, "v101")], fixture.ReadAll());
        fixture.Reopen();
        Assert.Equal([(0L, "v100"), (1L, "v101")], fixture.ReadAll());
    }
}
