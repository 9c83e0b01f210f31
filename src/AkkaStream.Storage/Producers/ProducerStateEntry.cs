namespace AkkaStream.Storage.Producers;

/// <summary>
/// One producer id's state in one partition: its current epoch and the metadata of its last
/// <see cref="BatchesRetained"/> batches, oldest first. Not thread-safe: owned by a
/// <see cref="ProducerStateManager"/>, which alone changes it.
/// </summary>
public sealed class ProducerStateEntry
{
    /// <summary>
    /// Kafka's <c>ProducerStateEntry.NUM_BATCHES_TO_RETAIN</c>: a producer has at most this many
    /// requests in flight per partition, so a retry is always of one of the last five batches.
    /// </summary>
    public const int BatchesRetained = 5;

    private readonly List<ProducerBatchMetadata> _batches = new(BatchesRetained);

    internal ProducerStateEntry(long producerId, short epoch)
    {
        ProducerId = producerId;
        Epoch = epoch;
    }

    public long ProducerId { get; }

    public short Epoch { get; private set; }

    /// <summary>The retained batches, oldest first; empty only for an entry restored without batches.</summary>
    public IReadOnlyList<ProducerBatchMetadata> Batches => _batches;

    /// <summary>The max timestamp of the newest batch; what <c>producer.id.expiration.ms</c> is measured from.</summary>
    public long LastTimestamp { get; private set; } = -1;

    /// <summary>The sequence of the newest batch's last record, or -1 with no batch.</summary>
    public int LastSequence => _batches.Count == 0 ? -1 : _batches[^1].LastSequence;

    /// <summary>The retained batch with exactly this sequence range, in the current epoch.</summary>
    public ProducerBatchMetadata? FindDuplicate(short epoch, int firstSequence, int lastSequence)
    {
        if (epoch != Epoch)
        {
            return null;
        }
        foreach (var batch in _batches)
        {
            if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
            {
                return batch;
            }
        }
        return null;
    }

    /// <summary>Records a written batch. A new epoch starts a new history: older batches cannot be retried in it.</summary>
    internal void Add(short epoch, ProducerBatchMetadata batch)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            _batches.Clear();
        }
        if (_batches.Count == BatchesRetained)
        {
            _batches.RemoveAt(0);
        }
        _batches.Add(batch);
        LastTimestamp = batch.Timestamp;
    }

    /// <summary>Restores an entry from a snapshot.</summary>
    internal static ProducerStateEntry Restore(long producerId, short epoch, long lastTimestamp, IEnumerable<ProducerBatchMetadata> batches)
    {
        var entry = new ProducerStateEntry(producerId, epoch);
        foreach (var batch in batches)
        {
            entry.Add(epoch, batch);
        }
        entry.LastTimestamp = lastTimestamp;
        return entry;
    }
}
