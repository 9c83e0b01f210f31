namespace AkkaStream.Records.Batches;

/// <summary>
/// A view of one record of a decoded batch, as <see cref="RecordBatchReader"/> yields it. Offset and
/// timestamp are absolute; key, value and headers point into the batch (or into the reader's
/// decompression buffer) and are valid only while the reader is. The encoding is described in
/// <see cref="RecordDecoder"/>. Immutable.
/// </summary>
public readonly ref struct Record
{
    private readonly ReadOnlySpan<byte> _headers;

    internal Record(
        long offset,
        long timestamp,
        int offsetDelta,
        long timestampDelta,
        byte attributes,
        ReadOnlySpan<byte> key,
        bool isKeyNull,
        ReadOnlySpan<byte> value,
        bool isValueNull,
        int headerCount,
        ReadOnlySpan<byte> headers,
        int sizeInBytes)
    {
        Offset = offset;
        Timestamp = timestamp;
        OffsetDelta = offsetDelta;
        TimestampDelta = timestampDelta;
        Attributes = attributes;
        Key = key;
        IsKeyNull = isKeyNull;
        Value = value;
        IsValueNull = isValueNull;
        HeaderCount = headerCount;
        _headers = headers;
        SizeInBytes = sizeInBytes;
    }

    /// <summary>The record's offset in the partition: the batch's base offset plus <see cref="OffsetDelta"/>.</summary>
    public long Offset { get; }

    /// <summary>
    /// The record's timestamp: base timestamp plus <see cref="TimestampDelta"/> for CreateTime, or the
    /// batch's max timestamp (the broker's append time) for LogAppendTime, as Kafka reports it.
    /// </summary>
    public long Timestamp { get; }

    public int OffsetDelta { get; }

    public long TimestampDelta { get; }

    /// <summary>The record's own attributes byte; unused by the format, normally 0.</summary>
    public byte Attributes { get; }

    /// <summary>The key; empty when <see cref="IsKeyNull"/>.</summary>
    public ReadOnlySpan<byte> Key { get; }

    public bool IsKeyNull { get; }

    /// <summary>The value; empty when <see cref="IsValueNull"/> (a tombstone on a compacted topic).</summary>
    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    public int HeaderCount { get; }

    /// <summary>The headers, in order: <c>foreach (var header in record.Headers)</c>.</summary>
    public RecordHeaderEnumerator Headers => new(_headers, HeaderCount);

    /// <summary>The encoded header entries after the header count, as they lie in the batch.</summary>
    public ReadOnlySpan<byte> EncodedHeaders => _headers;

    /// <summary>The record's encoded size inside the (uncompressed) records section, length prefix included.</summary>
    public int SizeInBytes { get; }
}
