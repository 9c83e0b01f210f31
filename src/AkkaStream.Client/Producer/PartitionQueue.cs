using AkkaStream.Records.Batches;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Producer;

/// <summary>
/// One partition's side of the producer: the batch being filled, the built batches waiting to be
/// sent (in build order, retries put back in their place), how many are in flight, and what holds
/// sending back (a retry backoff, or waiting for newer metadata). Owned by the producer actor.
/// </summary>
internal sealed class PartitionQueue(TopicPartition partition) : IDisposable
{
    public TopicPartition Partition { get; } = partition;

    /// <summary>The batch being filled, and the records in it.</summary>
    public RecordBatchBuilder? Open { get; set; }

    public List<PendingRecord> OpenRecords { get; set; } = [];

    /// <summary>The open batch has waited linger.ms: it may be sent.</summary>
    public bool LingerExpired { get; set; }

    /// <summary>Built batches, ordered by <see cref="ProducerBatch.Id"/>.</summary>
    public LinkedList<ProducerBatch> Ready { get; } = new();

    public int InFlight { get; set; }

    /// <summary>A batch was put back for a retry: nothing is sent until <see cref="InFlight"/> is 0.</summary>
    public bool AwaitingInFlight { get; set; }

    /// <summary>No batch is sent before this (a retry's backoff).</summary>
    public DateTime RetryNotBefore { get; set; }

    /// <summary>No batch is sent until metadata of at least this generation has arrived.</summary>
    public long AwaitGeneration { get; set; }

    public bool HasWork => Open is not null || Ready.Count > 0;

    /// <summary>Puts a batch back for a retry, before every batch built after it.</summary>
    public void Requeue(ProducerBatch batch)
    {
        var node = Ready.First;
        while (node is not null && node.Value.Id < batch.Id)
        {
            node = node.Next;
        }
        if (node is null)
        {
            Ready.AddLast(batch);
        }
        else
        {
            Ready.AddBefore(node, batch);
        }
    }

    public void Dispose() => Open?.Dispose();
}
