using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Producer;

/// <summary>
/// A built record batch on its way to a partition's leader, with the records it carries (in offset
/// order) and how often it was sent. Owned by the producer actor.
/// </summary>
internal sealed class ProducerBatch(long id, TopicPartition partition, byte[] bytes, List<PendingRecord> records)
{
    /// <summary>Grows with every batch the producer builds: a partition sends its batches in this order.</summary>
    public long Id { get; } = id;

    public TopicPartition Partition { get; } = partition;

    public byte[] Bytes { get; } = bytes;

    public List<PendingRecord> Records { get; } = records;

    public int Attempts { get; set; }

    /// <summary>The earliest deadline of its records: past it, the batch fails rather than retries.</summary>
    public DateTime Deadline
    {
        get
        {
            var earliest = DateTime.MaxValue;
            foreach (var record in Records)
            {
                if (record.Deadline < earliest)
                {
                    earliest = record.Deadline;
                }
            }
            return earliest;
        }
    }
}
