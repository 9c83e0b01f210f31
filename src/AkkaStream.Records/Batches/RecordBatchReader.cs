using AkkaStream.Records.Compression;
using AkkaStream.Records.Encoding;
using AkkaStream.Records.Errors;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Batches;

/// <summary>
/// Reads the records of one whole batch (laid out as in <see cref="RecordBatchLayout"/>) without
/// allocating per record:
/// <code>
/// using var reader = new RecordBatchReader(batchBytes);
/// foreach (var record in reader) { ... }          // or: while (reader.TryReadNext(out var record))
/// </code>
/// A compressed batch is decompressed once, in the constructor, into a buffer rented from the shared
/// array pool and returned by <see cref="Dispose"/>; the records it yields point into that buffer
/// (or into the caller's span) and must not be used after the reader is disposed. Control batches
/// are walked the same way.
/// <para>
/// It checks structure, not integrity: magic, declared size, that records fit, are well-formed and
/// number exactly recordsCount, and their offset deltas (see <see cref="RecordCursor"/>). Anything
/// malformed throws <see cref="CorruptRecordException"/>. The CRC is <see cref="RecordBatch.Validate"/>'s job.
/// </para>
/// Not thread-safe: one reader per walk, on one thread. Do not copy it: the copy would share, and
/// could return twice, the rented buffer.
/// </summary>
public ref struct RecordBatchReader : IDisposable
{
    /// <summary>The default cap on a compressed batch's decompressed records (64 MiB).</summary>
    public const int DefaultMaxDecompressedBytes = 64 * 1024 * 1024;

    private RecordCursor _cursor;
    private PooledBufferWriter? _decompressed;

    /// <param name="batch">Exactly one batch: its declared size must equal the span's length.</param>
    /// <param name="maxDecompressedBytes">The most bytes a compressed records section may expand to.</param>
    public RecordBatchReader(ReadOnlySpan<byte> batch, int maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecompressedBytes);
        var header = ReadHeader(batch);
        var section = batch[RecordsOffset..];
        _decompressed = null;
        var compression = header.Attributes.Compression;
        ReadOnlySpan<byte> records;
        if (compression == CompressionType.None || section.IsEmpty)
        {
            // An empty section holds no records whatever the codec (compaction can leave such batches).
            records = section;
        }
        else
        {
            if ((long)header.RecordsCount * RecordDecoder.MinRecordSize > maxDecompressedBytes)
            {
                throw new CorruptRecordException(
                    $"the batch declares {header.RecordsCount} records, more than {maxDecompressedBytes} decompressed bytes can hold");
            }
            _decompressed = Decompress(compression, section, maxDecompressedBytes);
            records = _decompressed.WrittenSpan;
        }
        if ((long)header.RecordsCount * RecordDecoder.MinRecordSize > records.Length)
        {
            Dispose();
            throw new CorruptRecordException(
                $"the batch declares {header.RecordsCount} records but its {records.Length} record bytes cannot hold that many");
        }
        _cursor = new RecordCursor(records, header);
    }

    public readonly RecordBatchHeader Header => _cursor.Header;

    /// <summary>How many records <see cref="TryReadNext"/> has returned.</summary>
    public readonly int RecordsRead => _cursor.RecordsRead;

    /// <summary>
    /// The next record, or false once all recordsCount records were read (and nothing follows them).
    /// Throws <see cref="CorruptRecordException"/> on a malformed record.
    /// </summary>
    public bool TryReadNext(out Record record) => _cursor.TryReadNext(out record);

    /// <summary>A <c>foreach</c> walk from the reader's current position; it does not move the reader.</summary>
    public readonly RecordEnumerator GetEnumerator() => new(_cursor);

    /// <summary>Returns the decompression buffer to the pool. Records read earlier become invalid.</summary>
    public void Dispose()
    {
        _decompressed?.Dispose();
        _decompressed = null;
    }

    private static RecordBatchHeader ReadHeader(ReadOnlySpan<byte> batch)
    {
        if (!RecordBatchHeader.TryRead(batch, out var header))
        {
            throw new CorruptRecordException($"a batch needs at least {HeaderSize} bytes, got {batch.Length}");
        }
        if (header.Magic != CurrentMagic)
        {
            throw new CorruptRecordException($"unsupported magic {header.Magic}; only record batch v{CurrentMagic} can be read");
        }
        if (!header.IsStructurallyValid)
        {
            throw new CorruptRecordException(
                $"malformed batch header (length {header.BatchLength}, last offset delta {header.LastOffsetDelta}, records {header.RecordsCount}, base offset {header.BaseOffset})");
        }
        if (header.SizeInBytes != batch.Length)
        {
            throw new CorruptRecordException($"the batch declares {header.SizeInBytes} bytes but {batch.Length} were given");
        }
        if ((long)header.RecordsCount > (long)header.LastOffsetDelta + 1)
        {
            throw new CorruptRecordException(
                $"the batch declares {header.RecordsCount} records within {(long)header.LastOffsetDelta + 1} offsets");
        }
        if ((int)header.Attributes.Compression > (int)CompressionType.Zstd)
        {
            throw new CorruptRecordException($"unknown compression type {(int)header.Attributes.Compression}");
        }
        return header;
    }

    private static PooledBufferWriter Decompress(CompressionType compression, ReadOnlySpan<byte> section, int maxDecompressedBytes)
    {
        // A guess to avoid most regrowths: records usually compress 2-5x.
        var initialCapacity = (int)Math.Clamp(4L * section.Length, 256, Math.Max(256, maxDecompressedBytes));
        var buffer = new PooledBufferWriter(initialCapacity);
        try
        {
            CompressionCodecs.For(compression).Decompress(section, buffer, maxDecompressedBytes);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
