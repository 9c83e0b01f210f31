using System.Buffers;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Encoding;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Batches;

/// <summary>
/// Builds one record batch for our own producers: set the header fields, <see cref="Append(long, NullableBytes, NullableBytes, ReadOnlySpan{RecordHeaderData})"/>
/// records (offset deltas 0, 1, 2…), then <see cref="Build()"/>. Records are encoded as they are
/// appended into a buffer rented from the shared array pool, behind room left for the header;
/// <see cref="Build()"/> compresses them when a codec is set, fills in the header (lastOffsetDelta,
/// baseTimestamp, maxTimestamp, recordsCount, length) and writes the CRC last. Building does not
/// consume the records: more can be appended and the batch built again. <see cref="Reset"/> empties
/// the builder for the next batch and keeps its buffers; <see cref="Dispose"/> returns them.
/// Not thread-safe: one owner at a time.
/// </summary>
public sealed class RecordBatchBuilder : IDisposable
{
    private readonly PooledBufferWriter _records = new();
    private readonly PooledBufferWriter _compressed = new();
    private CompressionType _compression;
    private long? _baseTimestamp;
    private long _firstTimestamp;
    private long _maxTimestamp;
    private int _count;
    private bool _disposed;

    public RecordBatchBuilder(CompressionType compression = CompressionType.None)
    {
        Compression = compression;
        Reset();
    }

    /// <summary>The codec applied to the records section by <see cref="Build()"/>.</summary>
    public CompressionType Compression
    {
        get => _compression;
        set
        {
            if ((uint)value > (uint)CompressionType.Zstd)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "not a compression type of the batch format");
            }
            _compression = value;
        }
    }

    /// <summary>
    /// CreateTime (the default) for producers. With LogAppendTime, append each record with the
    /// broker's append time: maxTimestamp is still the greatest record timestamp.
    /// </summary>
    public TimestampType TimestampType { get; set; } = TimestampType.CreateTime;

    public long BaseOffset { get; set; }

    public int PartitionLeaderEpoch { get; set; } = -1;

    public long ProducerId { get; set; } = -1;

    public short ProducerEpoch { get; set; } = -1;

    public int BaseSequence { get; set; } = -1;

    public bool IsTransactional { get; set; }

    public bool IsControl { get; set; }

    /// <summary>
    /// The batch's baseTimestamp, from which record timestamp deltas are counted. Null (the default)
    /// means the first record's timestamp, as Kafka producers do. Settable only while the builder is
    /// empty, since appended records already hold deltas from it.
    /// </summary>
    public long? BaseTimestamp
    {
        get => _baseTimestamp;
        set
        {
            if (_count > 0)
            {
                throw new InvalidOperationException("the base timestamp can only be set before the first record is appended");
            }
            _baseTimestamp = value;
        }
    }

    public int RecordCount => _count;

    /// <summary>
    /// The batch's size if it were built now. Exact without compression; with it, the uncompressed
    /// size, which compressed batches rarely exceed, so cutting at a target size errs on the small side.
    /// </summary>
    public int EstimatedSizeInBytes => _records.WrittenCount;

    /// <summary>
    /// True when the builder is empty (a batch always takes its first record), or when appending this
    /// record keeps <see cref="EstimatedSizeInBytes"/> within <paramref name="targetSizeInBytes"/>.
    /// </summary>
    public bool HasRoomFor(int targetSizeInBytes, long timestamp, NullableBytes key, NullableBytes value, params ReadOnlySpan<RecordHeaderData> headers)
    {
        if (_count == 0)
        {
            return true;
        }
        var bodySize = RecordEncoder.SizeOfBody(
            unchecked(timestamp - _firstTimestamp), _count, key.EncodedLength, value.EncodedLength, RecordEncoder.SizeOfHeaders(headers));
        return bodySize >= 0 && (long)EstimatedSizeInBytes + Varint.SizeOfInt32(bodySize) + bodySize <= targetSizeInBytes;
    }

    /// <summary>Appends a record at the next offset delta. A null array (or <see cref="NullableBytes.Null"/>) is a null key or value.</summary>
    public void Append(long timestamp, NullableBytes key, NullableBytes value, params ReadOnlySpan<RecordHeaderData> headers)
    {
        var headersSize = RecordEncoder.SizeOfHeaders(headers);
        var destination = BeginRecord(timestamp, key, value, headersSize, out var fieldsSize);
        var written = RecordEncoder.WriteHeaders(destination[fieldsSize..], headers);
        EndRecord(fieldsSize + written, timestamp);
    }

    /// <summary>
    /// Appends a copy of a decoded record (timestamp, key, value, headers byte for byte) at the next
    /// offset delta: how a batch is re-encoded, e.g. to change its codec.
    /// </summary>
    public void Append(Record record)
    {
        var key = record.IsKeyNull ? NullableBytes.Null : new NullableBytes(record.Key);
        var value = record.IsValueNull ? NullableBytes.Null : new NullableBytes(record.Value);
        var headers = record.EncodedHeaders;
        var headersSize = Varint.SizeOfInt32(record.HeaderCount) + headers.Length;
        var destination = BeginRecord(record.Timestamp, key, value, headersSize, out var fieldsSize);
        var written = Varint.WriteInt32(destination[fieldsSize..], record.HeaderCount);
        headers.CopyTo(destination[(fieldsSize + written)..]);
        EndRecord(fieldsSize + written + headers.Length, record.Timestamp);
    }

    /// <summary>Builds the batch into a new array.</summary>
    public byte[] Build() => Assemble().ToArray();

    /// <summary>Builds the batch into <paramref name="destination"/>; returns its size in bytes.</summary>
    public int Build(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var batch = Assemble();
        batch.CopyTo(destination.GetSpan(batch.Length));
        destination.Advance(batch.Length);
        return batch.Length;
    }

    /// <summary>Drops the records and the base timestamp; keeps the other settings and the rented buffers.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _records.Clear();
        _records.GetSpan(HeaderSize);
        _records.Advance(HeaderSize);
        _compressed.Clear();
        _baseTimestamp = null;
        _firstTimestamp = 0;
        _maxTimestamp = 0;
        _count = 0;
    }

    public void Dispose()
    {
        _disposed = true;
        _records.Dispose();
        _compressed.Dispose();
    }

    private Span<byte> BeginRecord(long timestamp, NullableBytes key, NullableBytes value, int headersSectionSize, out int fieldsSize)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_count == int.MaxValue)
        {
            throw new InvalidOperationException("a batch cannot hold more records");
        }
        var baseTimestamp = _count == 0 ? _baseTimestamp ?? timestamp : _firstTimestamp;
        var timestampDelta = unchecked(timestamp - baseTimestamp);
        var bodySize = RecordEncoder.SizeOfBody(timestampDelta, _count, key.EncodedLength, value.EncodedLength, headersSectionSize);
        if (bodySize < 0 || (long)_records.WrittenCount + bodySize + Varint.MaxInt32Bytes > Array.MaxLength)
        {
            throw new InvalidOperationException("the record does not fit in a batch");
        }
        var destination = _records.GetSpan(Varint.SizeOfInt32(bodySize) + bodySize);
        fieldsSize = RecordEncoder.WriteFields(destination, bodySize, timestampDelta, _count, key, value);
        if (_count == 0)
        {
            _firstTimestamp = baseTimestamp;
        }
        return destination;
    }

    private void EndRecord(int recordSize, long timestamp)
    {
        _records.Advance(recordSize);
        _maxTimestamp = _count == 0 ? timestamp : Math.Max(_maxTimestamp, timestamp);
        _count++;
    }

    private ReadOnlySpan<byte> Assemble()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_count == 0)
        {
            throw new InvalidOperationException("a batch needs at least one record");
        }
        Span<byte> batch;
        if (_compression == CompressionType.None)
        {
            batch = _records.WrittenSpanMutable;
        }
        else
        {
            _compressed.Clear();
            _compressed.GetSpan(HeaderSize);
            _compressed.Advance(HeaderSize);
            CompressionCodecs.For(_compression).Compress(_records.WrittenSpan[HeaderSize..], _compressed);
            batch = _compressed.WrittenSpanMutable;
        }
        var header = new RecordBatchHeader(
            BaseOffset: BaseOffset,
            BatchLength: batch.Length - LogOverhead,
            PartitionLeaderEpoch: PartitionLeaderEpoch,
            Magic: CurrentMagic,
            Crc: 0,
            Attributes: BatchAttributes.Create(_compression, TimestampType, IsTransactional, IsControl),
            LastOffsetDelta: _count - 1,
            BaseTimestamp: _firstTimestamp,
            MaxTimestamp: _maxTimestamp,
            ProducerId: ProducerId,
            ProducerEpoch: ProducerEpoch,
            BaseSequence: BaseSequence,
            RecordsCount: _count);
        header.WriteTo(batch);
        RecordBatch.WriteCrc(batch);
        return batch;
    }
}
