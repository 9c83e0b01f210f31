using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Producers;

/// <summary>
/// The idempotent producers one partition knows: per producer id its epoch and last five batches
/// (see <see cref="ProducerStateEntry"/>), and the <c>.snapshot</c> files that let an open skip
/// replaying the whole log. The leader checks every idempotent batch against it before the batch
/// is written; a follower, and a replay of the log, apply batches without checks, because the
/// leader already decided.
/// </summary>
/// <remarks>
/// Not thread-safe: owned by a <see cref="Log.PartitionLog"/>, which calls it under its lock.
/// </remarks>
public sealed partial class ProducerStateManager
{
    private readonly Dictionary<long, ProducerStateEntry> _producers = [];
    private readonly string _directory;
    private readonly ILogger _logger;

    internal ProducerStateManager(string directory, ILogger logger)
    {
        _directory = directory;
        _logger = logger;
    }

    public int Count => _producers.Count;

    public IReadOnlyCollection<ProducerStateEntry> Entries => _producers.Values;

    public ProducerStateEntry? Get(long producerId) => _producers.GetValueOrDefault(producerId);

    /// <summary>
    /// Checks the idempotent batches of a producer's append that would be written from
    /// <paramref name="firstOffset"/> on. A batch whose epoch and sequence range match one of its
    /// producer's retained batches is a duplicate (a retry of a write that succeeded): when every
    /// batch of the append is one, the plan carries the original offsets and nothing is written.
    /// Batches of one append are checked in order, each against the state the earlier ones leave.
    /// </summary>
    /// <param name="appendTime">The broker time stamped on the batches, or -1 when they keep their own.</param>
    /// <exception cref="AkkaStreamException">
    /// <c>OutOfOrderSequenceNumber</c>, <c>InvalidProducerEpoch</c>, <c>InvalidRecord</c> for an idempotent
    /// batch without an epoch or sequence, or <c>DuplicateSequenceNumber</c> for an append that mixes
    /// duplicates with new batches (it cannot be acknowledged with one offset range).
    /// </exception>
    internal ProducerAppendPlan CheckLeaderAppend(ReadOnlySpan<byte> batches, long firstOffset, long appendTime)
    {
        List<ProducerStateUpdate>? updates = null;
        ProducerBatchMetadata? firstDuplicate = null, lastDuplicate = null;
        int total = 0, duplicates = 0;
        var next = firstOffset;
        foreach (var header in new RecordBatchEnumerator(batches))
        {
            total++;
            var first = next;
            next += header.LastOffsetDelta + 1;
            // Control batches (transaction markers) carry a producer id but no sequence.
            if (header.ProducerId < 0 || header.Attributes.IsControl)
            {
                continue;
            }
            if (header.ProducerEpoch < 0 || header.BaseSequence < 0)
            {
                throw new AkkaStreamException(ErrorCode.InvalidRecord,
                    $"batch of producer {header.ProducerId} has epoch {header.ProducerEpoch} and base sequence {header.BaseSequence}; an idempotent batch needs both");
            }
            var lastSequence = ProducerSequence.LastOf(header);
            var entry = Get(header.ProducerId);
            if (entry?.FindDuplicate(header.ProducerEpoch, header.BaseSequence, lastSequence) is { } duplicate)
            {
                duplicates++;
                firstDuplicate ??= duplicate;
                lastDuplicate = duplicate;
                continue;
            }
            var (currentEpoch, currentLast) = Current(entry, updates, header.ProducerId);
            ProducerSequenceCheck.Check(header.ProducerId, currentEpoch, currentLast, header.ProducerEpoch, header.BaseSequence);
            updates ??= [];
            updates.Add(new ProducerStateUpdate(header.ProducerId, header.ProducerEpoch,
                new ProducerBatchMetadata(header.BaseSequence, lastSequence, first, next - 1, appendTime >= 0 ? appendTime : header.MaxTimestamp)));
        }
        if (duplicates == 0)
        {
            return ProducerAppendPlan.OfUpdates(updates);
        }
        if (duplicates != total)
        {
            throw new AkkaStreamException(ErrorCode.DuplicateSequenceNumber,
                $"{duplicates} of the append's {total} batches were written before and the others were not; resend them apart");
        }
        var (from, to) = (firstDuplicate!.Value, lastDuplicate!.Value);
        return ProducerAppendPlan.OfDuplicate(new ProducerBatchMetadata(from.FirstSequence, to.LastSequence, from.FirstOffset, to.LastOffset, to.Timestamp));
    }

    /// <summary>Records what <see cref="CheckLeaderAppend"/> planned, once the batches are written.</summary>
    internal void Apply(ProducerAppendPlan plan)
    {
        foreach (var update in plan.Updates)
        {
            EntryFor(update.ProducerId, update.Epoch).Add(update.Epoch, update.Batch);
        }
    }

    /// <summary>Records a batch that is already in the log (a follower's copy, or a replay at open), without checks.</summary>
    internal void ApplyWritten(in RecordBatchHeader header)
    {
        if (header.ProducerId < 0 || header.BaseSequence < 0 || header.Attributes.IsControl)
        {
            return;
        }
        EntryFor(header.ProducerId, header.ProducerEpoch).Add(header.ProducerEpoch,
            new ProducerBatchMetadata(header.BaseSequence, ProducerSequence.LastOf(header), header.BaseOffset, header.LastOffset, header.MaxTimestamp));
    }

    internal void Clear() => _producers.Clear();

    /// <summary>Forgets producers whose newest batch is <paramref name="expirationMs"/> or more older than <paramref name="nowMs"/> (<c>producer.id.expiration.ms</c>).</summary>
    internal int RemoveExpired(long nowMs, long expirationMs)
    {
        var removed = 0;
        foreach (var entry in _producers.Values.ToList())
        {
            if (nowMs - entry.LastTimestamp >= expirationMs)
            {
                _producers.Remove(entry.ProducerId);
                removed++;
            }
        }
        return removed;
    }

    private ProducerStateEntry EntryFor(long producerId, short epoch)
    {
        if (!_producers.TryGetValue(producerId, out var entry))
        {
            entry = new ProducerStateEntry(producerId, epoch);
            _producers[producerId] = entry;
        }
        return entry;
    }

    /// <summary>The epoch and last sequence a new batch must follow: from an earlier batch of the same append, else from the state.</summary>
    private static (short? Epoch, int LastSequence) Current(ProducerStateEntry? entry, List<ProducerStateUpdate>? updates, long producerId)
    {
        if (updates is not null)
        {
            for (var i = updates.Count - 1; i >= 0; i--)
            {
                if (updates[i].ProducerId == producerId)
                {
                    return (updates[i].Epoch, updates[i].Batch.LastSequence);
                }
            }
        }
        return entry is null ? (null, -1) : (entry.Epoch, entry.LastSequence);
    }
}
