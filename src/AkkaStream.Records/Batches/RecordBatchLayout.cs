namespace AkkaStream.Records.Batches;

/// <summary>
/// The byte layout of a record batch, magic v2, exactly as Kafka writes it. All integers are big-endian.
/// <code>
///  off  size  field
///    0     8  baseOffset            first offset of the batch; the leader writes it on append
///    8     4  batchLength           bytes after this field (the whole batch is 12 + batchLength)
///   12     4  partitionLeaderEpoch  the leader's epoch, written on append (outside the CRC)
///   16     1  magic                 2
///   17     4  crc                   CRC-32C of every byte from attributes to the end
///   21     2  attributes            see <see cref="BatchAttributes"/>
///   23     4  lastOffsetDelta       last offset - baseOffset
///   27     8  baseTimestamp         timestamp of the first record (or the delete horizon)
///   35     8  maxTimestamp          greatest record timestamp (or the broker's time for LogAppendTime)
///   43     8  producerId            -1 unless idempotent or transactional
///   51     2  producerEpoch         -1 unless idempotent or transactional
///   53     4  baseSequence          -1 unless idempotent or transactional
///   57     4  recordsCount          number of records (never compressed)
///   61     …  records               varint-encoded records, compressed as one blob when a codec is set
/// </code>
/// </summary>
public static class RecordBatchLayout
{
    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordsCountOffset = 57;
    public const int RecordsOffset = 61;

    /// <summary>The fixed header in front of the records: the smallest valid batch.</summary>
    public const int HeaderSize = RecordsOffset;

    /// <summary>baseOffset and batchLength: the part of the header not counted in batchLength.</summary>
    public const int LogOverhead = BatchLengthOffset + sizeof(int);

    /// <summary>The CRC covers the batch from this position to its end.</summary>
    public const int CrcCoverageStart = AttributesOffset;

    public const byte CurrentMagic = 2;
}
