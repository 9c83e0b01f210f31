using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Tests.Support;

namespace AkkaStream.Storage.Tests.Producers;

public class IdempotentAppendTests
{
    private const long ProducerId = 7;

    [Fact]
    public void A_retry_of_each_of_the_last_five_batches_is_acknowledged_with_its_original_offsets_and_not_written()
    {
        using var fixture = new LogFixture();
        var originals = new List<(long First, long Last)>();
        for (var i = 0; i < 6; i++)
        {
            var info = fixture.Append(Batch(fixture, sequence: i * 2, count: 2));
            Assert.False(info.IsDuplicate);
            originals.Add((info.FirstOffset.Value, info.LastOffset.Value));
        }
        var end = fixture.Log.LogEndOffset;

        for (var i = 1; i < 6; i++)
        {
            var retry = fixture.Append(Batch(fixture, sequence: i * 2, count: 2));
            Assert.True(retry.IsDuplicate);
            Assert.Equal(originals[i], (retry.FirstOffset.Value, retry.LastOffset.Value));
        }
        Assert.Equal(end, fixture.Log.LogEndOffset);
        Assert.Equal(12, fixture.ReadAll().Count);

        // The first batch is no longer among the five retained: its retry is out of order.
        var tooOld = Assert.Throws<AkkaStreamException>(() => fixture.Append(Batch(fixture, sequence: 0, count: 2)));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, tooOld.Code);
        Assert.Equal(end, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void A_gap_in_the_sequence_is_refused_with_OutOfOrderSequenceNumber_and_nothing_is_written()
    {
        using var fixture = new LogFixture();
        fixture.Append(Batch(fixture, sequence: 0, count: 3));

        var gap = Assert.Throws<AkkaStreamException>(() => fixture.Append(Batch(fixture, sequence: 4, count: 1)));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Code);
        Assert.Equal(3, fixture.Log.LogEndOffset.Value);

        Assert.Equal(3, fixture.Append(Batch(fixture, sequence: 3, count: 1)).FirstOffset.Value);
    }

    [Fact]
    public void An_older_epoch_is_refused_and_a_new_epoch_must_start_at_sequence_zero()
    {
        using var fixture = new LogFixture();
        fixture.Append(Batch(fixture, sequence: 0, count: 2, epoch: 1));

        var older = Assert.Throws<AkkaStreamException>(() => fixture.Append(Batch(fixture, sequence: 2, count: 1, epoch: 0)));
        Assert.Equal(ErrorCode.InvalidProducerEpoch, older.Code);
        var notZero = Assert.Throws<AkkaStreamException>(() => fixture.Append(Batch(fixture, sequence: 2, count: 1, epoch: 2)));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, notZero.Code);
        Assert.Equal(2, fixture.Log.LogEndOffset.Value);

        Assert.False(fixture.Append(Batch(fixture, sequence: 0, count: 1, epoch: 2)).IsDuplicate);
        Assert.Equal(2, fixture.Log.Producers.Get(ProducerId)!.Epoch);
        // The old epoch's batches are gone with it: its retry is fenced, not acknowledged.
        var fenced = Assert.Throws<AkkaStreamException>(() => fixture.Append(Batch(fixture, sequence: 0, count: 2, epoch: 1)));
        Assert.Equal(ErrorCode.InvalidProducerEpoch, fenced.Code);
    }

    [Fact]
    public void A_producer_the_log_does_not_know_is_accepted_at_any_sequence()
    {
        using var fixture = new LogFixture();

        fixture.Append(Batch(fixture, sequence: 40, count: 2));

        Assert.Equal(41, fixture.Log.Producers.Get(ProducerId)!.LastSequence);
        Assert.Throws<AkkaStreamException>(() => fixture.Append(Batch(fixture, sequence: 40 + 3, count: 1)));
    }

    [Fact]
    public void Sequences_wrap_from_int_max_to_zero()
    {
        using var fixture = new LogFixture();
        fixture.Append(Batch(fixture, sequence: int.MaxValue - 1, count: 3));

        Assert.Equal(0, fixture.Log.Producers.Get(ProducerId)!.LastSequence);
        Assert.False(fixture.Append(Batch(fixture, sequence: 1, count: 1)).IsDuplicate);
        Assert.True(fixture.Append(Batch(fixture, sequence: int.MaxValue - 1, count: 3)).IsDuplicate);
    }

    [Fact]
    public void Batches_of_one_append_are_checked_in_order_and_a_partial_duplicate_is_refused()
    {
        using var fixture = new LogFixture();
        var first = Batch(fixture, sequence: 0, count: 2);
        var second = Batch(fixture, sequence: 2, count: 2);
        var info = fixture.Append([.. first, .. second]);
        Assert.Equal((0L, 3L), (info.FirstOffset.Value, info.LastOffset.Value));

        var both = fixture.Append([.. Batch(fixture, 0, 2), .. Batch(fixture, 2, 2)]);
        Assert.True(both.IsDuplicate);
        Assert.Equal((0L, 3L), (both.FirstOffset.Value, both.LastOffset.Value));

        var mixed = Assert.Throws<AkkaStreamException>(() => fixture.Append([.. Batch(fixture, 2, 2), .. Batch(fixture, 4, 1)]));
        Assert.Equal(ErrorCode.DuplicateSequenceNumber, mixed.Code);
        Assert.Equal(4, fixture.Log.LogEndOffset.Value);
    }

    [Fact]
    public void Batches_without_a_producer_id_are_not_checked()
    {
        using var fixture = new LogFixture();
        fixture.Append(TestBatches.Values(0, 2));
        Assert.False(fixture.Append(TestBatches.Values(0, 2)).IsDuplicate);
        Assert.Equal(4, fixture.Log.LogEndOffset.Value);
        Assert.Equal(0, fixture.Log.Producers.Count);
    }

    [Fact]
    public void An_idempotent_batch_without_a_sequence_is_refused_as_an_invalid_record()
    {
        using var fixture = new LogFixture();
        var error = Assert.Throws<AkkaStreamException>(() =>
            fixture.Append(TestBatches.Idempotent(ProducerId, 0, ProducerSequence.None, 0, 1, fixture.Time.NowMs)));
        Assert.Equal(ErrorCode.InvalidRecord, error.Code);
    }

    [Fact]
    public void A_duplicate_in_a_LogAppendTime_log_is_answered_with_the_time_of_the_first_write()
    {
        using var fixture = new LogFixture(LogConfig.Default with { MessageTimestampType = TimestampType.LogAppendTime });
        var first = fixture.Append(Batch(fixture, 0, 1));
        fixture.Time.Advance(5_000);

        var retry = fixture.Append(Batch(fixture, 0, 1));

        Assert.True(retry.IsDuplicate);
        Assert.Equal(first.LogAppendTime, retry.LogAppendTime);
    }

    [Fact]
    public void A_follower_takes_the_leaders_batches_without_checks_and_the_state_follows_them()
    {
        using var leader = new LogFixture();
        using var follower = new LogFixture();
        leader.Append(Batch(leader, sequence: 0, count: 2));
        // A new epoch at a sequence other than 0 would be refused by a leader; the follower copies what its leader wrote.
        var copied = Batch(leader, sequence: 9, count: 1, epoch: 3);
        RecordBatch.SetBaseOffset(copied, 0);

        follower.Log.AppendAsFollower(copied);

        var entry = follower.Log.Producers.Get(ProducerId)!;
        Assert.Equal((short)3, entry.Epoch);
        Assert.Equal(9, entry.LastSequence);
        Assert.True(follower.Append(Batch(follower, sequence: 9, count: 1, epoch: 3)).IsDuplicate);
        Assert.Equal(1, follower.Append(Batch(follower, sequence: 10, count: 1, epoch: 3)).FirstOffset.Value);
    }

    internal static byte[] Batch(LogFixture fixture, int sequence, int count, short epoch = 0) =>
        TestBatches.Idempotent(ProducerId, epoch, sequence, sequence, count, fixture.Time.NowMs);
}
