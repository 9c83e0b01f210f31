using AkkaStream.Records.Batches;
using AkkaStream.Records.Ids;

namespace AkkaStream.Storage.Log;

// Appending: the leader's path, which assigns offsets and stamps its epoch, and the follower's,
// which keeps the offsets its leader assigned.
public sealed partial class PartitionLog
{
    /// <summary>
    /// Appends a producer's batches as the leader of <paramref name="epoch"/>: each batch gets the
    /// next offsets and the epoch written into its header in place (outside the CRC), and with
    /// <c>message.timestamp.type=LogAppendTime</c> the broker's time. The bytes are then written as they are.
    /// </summary>
    /// <remarks>
    /// Batches of an idempotent producer (producer id ≥ 0) are checked against its state (see
    /// <see cref="Producers.ProducerStateManager.CheckLeaderAppend"/>). A retry of batches already
    /// written is answered with their original offsets (<see cref="LogAppendInfo.IsDuplicate"/>)
    /// and not written again.
    /// </remarks>
    /// <exception cref="Records.Errors.AkkaStreamException">
    /// <c>CorruptMessage</c>, <c>InvalidRecord</c> or <c>MessageTooLarge</c> for bad input;
    /// <c>OutOfOrderSequenceNumber</c>, <c>InvalidProducerEpoch</c> or <c>DuplicateSequenceNumber</c>
    /// for a producer's batch that may not follow its last one. Nothing is written then.
    /// </exception>
    public LogAppendInfo AppendAsLeader(Span<byte> batches, LeaderEpoch epoch)
    {
        // Checking CRCs is the costly part of an append and needs no lock.
        var summary = AppendValidator.ValidateFromProducer(batches, Config);
        lock (_lock)
        {
            ThrowIfClosed();
            var now = NowMs;
            var appendTime = Config.MessageTimestampType == TimestampType.LogAppendTime ? now : -1;
            var firstOffset = Active.NextOffset;
            var producers = Producers.CheckLeaderAppend(batches, firstOffset, appendTime);
            if (producers.Duplicate is { } original)
            {
                return new LogAppendInfo(new Offset(original.FirstOffset), new Offset(original.LastOffset), original.Timestamp,
                    appendTime >= 0 ? original.Timestamp : -1, 0, 0, 0, IsDuplicate: true);
            }
            var next = firstOffset;
            var maxTimestamp = summary.MaxTimestamp;
            var positions = new RecordBatchEnumerator(batches);
            while (positions.MoveNext())
            {
                var batch = batches.Slice(positions.Position, positions.Current.SizeInBytes);
                RecordBatch.SetBaseOffset(batch, next);
                RecordBatch.SetPartitionLeaderEpoch(batch, epoch.Value);
                if (appendTime >= 0)
                {
                    RecordBatch.SetLogAppendTime(batch, appendTime);
                    maxTimestamp = appendTime;
                }
                next += positions.Current.LastOffsetDelta + 1;
            }
            AppendLocked(batches, firstOffset, next - 1, maxTimestamp, epoch, now);
            Producers.Apply(producers);
            return new LogAppendInfo(new Offset(firstOffset), new Offset(next - 1), maxTimestamp, appendTime,
                summary.RecordCount, summary.BatchCount, batches.Length);
        }
    }

    /// <summary>
    /// Appends batches copied from the leader, keeping their offsets and epochs. They must continue
    /// the log exactly (with gaps only in compacted logs); the epoch cache learns any newer epoch,
    /// and the producer state takes the batches without checking their sequences (the leader did).
    /// </summary>
    public LogAppendInfo AppendAsFollower(ReadOnlySpan<byte> batches)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            var summary = AppendValidator.ValidateFromLeader(batches, Config, Active.NextOffset, AllowsOffsetGaps);
            var now = NowMs;
            foreach (var header in new RecordBatchEnumerator(batches))
            {
                Epochs.AssignIfNewer(header.LeaderEpoch, new Offset(header.BaseOffset));
            }
            AppendLocked(batches, summary.FirstBaseOffset, summary.LastOffset, summary.MaxTimestamp, LeaderEpoch.None, now);
            foreach (var header in new RecordBatchEnumerator(batches))
            {
                Producers.ApplyWritten(header);
            }
            return new LogAppendInfo(new Offset(summary.FirstBaseOffset), new Offset(summary.LastOffset), summary.MaxTimestamp, -1,
                summary.RecordCount, summary.BatchCount, batches.Length);
        }
    }

    private void AppendLocked(ReadOnlySpan<byte> batches, long firstOffset, long lastOffset, long maxTimestamp, LeaderEpoch epoch, long now)
    {
        if (Active.ShouldRoll(batches.Length, maxTimestamp, lastOffset, now))
        {
            RollLocked();
        }
        Epochs.AssignIfNewer(epoch, new Offset(firstOffset));
        Active.Append(batches);
        _unflushedRecords += lastOffset - firstOffset + 1;
        if (_unflushedRecords >= Config.FlushMessages || now - _lastFlushMs >= Config.FlushMs)
        {
            FlushLocked();
        }
    }
}
