using AkkaStream.Records.Errors;
using Microsoft.Extensions.Logging;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Tests.Support;
using static AkkaStream.Storage.Tests.Producers.IdempotentAppendTests;

namespace AkkaStream.Storage.Tests.Producers;

public class ProducerStatePersistenceTests
{
    [Fact]
    public void A_clean_close_leaves_a_snapshot_at_the_log_end_and_the_reopened_log_still_knows_the_producer()
    {
        using var fixture = new LogFixture();
        var original = fixture.Append(Batch(fixture, 0, 3));

        fixture.Reopen();

        Assert.True(File.Exists(Path.Combine(fixture.Directory, "00000000000000000003.snapshot")));
        var retry = fixture.Append(Batch(fixture, 0, 3));
        Assert.True(retry.IsDuplicate);
        Assert.Equal(original.FirstOffset, retry.FirstOffset);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber,
            Assert.Throws<AkkaStreamException>(() => fixture.Append(Batch(fixture, 5, 1))).Code);
    }

    [Fact]
    public void Each_close_replaces_the_previous_closes_snapshot_inside_the_active_segment_but_keeps_the_rolls()
    {
        using var fixture = new LogFixture();
        fixture.Append(Batch(fixture, 0, 2));
        fixture.Log.Roll(); // snapshot at 2
        fixture.Append(Batch(fixture, 2, 2));
        fixture.Reopen(); // snapshot at 4
        fixture.Append(Batch(fixture, 4, 2));
        // What a write interrupted before its rename leaves: removed at the next open.
        File.WriteAllText(Path.Combine(fixture.Directory, "00000000000000000009.snapshot.tmp"), "torn");

        fixture.Reopen(); // snapshot at 6

        Assert.Equal(["00000000000000000002.snapshot", "00000000000000000006.snapshot"],
            Directory.GetFiles(fixture.Directory, "*.snapshot*").Select(Path.GetFileName).Order());
        Assert.True(fixture.Append(Batch(fixture, 2, 2)).IsDuplicate);
    }

    [Fact]
    public void After_an_unclean_shutdown_the_state_is_rebuilt_from_the_snapshot_and_the_batches_after_it()
    {
        using var fixture = new LogFixture();
        fixture.Append(Batch(fixture, 0, 2));
        fixture.Log.Roll(); // snapshot at 2
        fixture.Append(Batch(fixture, 2, 2));
        fixture.Append(Batch(fixture, 4, 2));

        fixture.CrashAndReopen();

        Assert.Equal((short)0, fixture.Log.Producers.Get(7)!.Epoch);
        Assert.Equal(5, fixture.Log.Producers.Get(7)!.LastSequence);
        Assert.Equal(0, fixture.Append(Batch(fixture, 0, 2)).FirstOffset.Value);
        Assert.Equal(4, fixture.Append(Batch(fixture, 4, 2)).FirstOffset.Value);
        Assert.Equal(6, fixture.Log.LogEndOffset.Value);
        Assert.False(fixture.Append(Batch(fixture, 6, 1)).IsDuplicate);
    }

    [Fact]
    public void Without_any_snapshot_the_state_is_rebuilt_from_every_batch_header()
    {
        using var fixture = new LogFixture();
        fixture.Append(Batch(fixture, 0, 2));
        fixture.Log.Roll();
        fixture.Append(Batch(fixture, 2, 2));

        fixture.CrashAndReopen(() =>
        {
            foreach (var snapshot in Directory.GetFiles(fixture.Directory, "*.snapshot")) File.Delete(snapshot);
        });

        Assert.True(fixture.Append(Batch(fixture, 0, 2)).IsDuplicate);
        Assert.True(fixture.Append(Batch(fixture, 2, 2)).IsDuplicate);
    }

    [Fact]
    public void A_damaged_snapshot_is_deleted_and_the_state_is_rebuilt_from_the_log()
    {
        using var fixture = new LogFixture();
        fixture.Append(Batch(fixture, 0, 2));
        fixture.Append(Batch(fixture, 2, 2));
        fixture.Log.Close();
        var path = Path.Combine(fixture.Directory, "00000000000000000004.snapshot");
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        fixture.Reopen();

        Assert.False(File.Exists(path));
        Assert.Contains(fixture.Logger.MessagesAtOrAbove(LogLevel.Warning), m => m.Contains("CRC mismatch", StringComparison.Ordinal));
        Assert.Equal(2, fixture.Append(Batch(fixture, 2, 2)).FirstOffset.Value);
    }

    [Fact]
    public void Truncation_rebuilds_the_state_as_of_the_new_log_end()
    {
        using var fixture = new LogFixture();
        fixture.Append(Batch(fixture, 0, 2));
        fixture.Log.Roll(); // snapshot at 2
        fixture.Append(Batch(fixture, 2, 2));
        fixture.Log.Roll(); // snapshot at 4
        fixture.Append(Batch(fixture, 4, 2));

        fixture.Log.TruncateTo(new Offset(2));

        Assert.Equal(1, fixture.Log.Producers.Get(7)!.LastSequence);
        Assert.False(File.Exists(Path.Combine(fixture.Directory, "00000000000000000004.snapshot")));
        // The removed batch is new again: written, at the new end; the one before it is still a duplicate.
        var rewritten = fixture.Append(Batch(fixture, 2, 2));
        Assert.False(rewritten.IsDuplicate);
        Assert.Equal(2, rewritten.FirstOffset.Value);
        Assert.True(fixture.Append(Batch(fixture, 0, 2)).IsDuplicate);
    }

    [Fact]
    public void A_full_truncation_forgets_every_producer_and_its_snapshots()
    {
        using var fixture = new LogFixture();
        fixture.Append(Batch(fixture, 0, 2));
        fixture.Log.Roll();

        fixture.Log.TruncateFullyAndStartAt(new Offset(100));

        Assert.Equal(0, fixture.Log.Producers.Count);
        Assert.Empty(Directory.GetFiles(fixture.Directory, "*.snapshot"));
    }

    [Fact]
    public void Retention_keeps_the_state_of_producers_whose_segments_it_deletes_across_restarts()
    {
        using var fixture = new LogFixture(LogConfig.Default with { RetentionMs = 60_000 });
        fixture.Append(Batch(fixture, 0, 2));
        fixture.Log.Roll(); // snapshot at 2
        fixture.Time.Advance(120_000);
        fixture.Append(TestBatches.Values(0, 1, timestamp: fixture.Time.NowMs));

        Assert.Equal(1, fixture.Log.ApplyRetention());
        Assert.Equal(2, fixture.Log.LogStartOffset.Value);
        Assert.Equal(0, fixture.Append(Batch(fixture, 0, 2)).FirstOffset.Value);

        fixture.CrashAndReopen();
        var retry = fixture.Append(Batch(fixture, 0, 2));
        Assert.True(retry.IsDuplicate);
        Assert.Equal(0, retry.FirstOffset.Value);
        Assert.Equal(["00000000000000000002.snapshot"], Directory.GetFiles(fixture.Directory, "*.snapshot").Select(Path.GetFileName));
    }

    [Fact]
    public void A_producer_idle_for_producer_id_expiration_ms_is_forgotten()
    {
        using var fixture = new LogFixture(LogConfig.Default with { ProducerIdExpirationMs = 10_000 });
        fixture.Append(Batch(fixture, 0, 2));
        fixture.Time.Advance(9_000);
        fixture.Log.ApplyRetention();
        Assert.NotNull(fixture.Log.Producers.Get(7));

        fixture.Time.Advance(1_001); // measured from the batch's newest record, one millisecond after its first
        fixture.Log.ApplyRetention();

        Assert.Null(fixture.Log.Producers.Get(7));
        Assert.False(fixture.Append(Batch(fixture, 30, 1)).IsDuplicate);
    }
}
