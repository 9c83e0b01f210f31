using AkkaStream.Records.Batches;

namespace AkkaStream.Storage.Benchmarks;

/// <summary>
/// Uncompressed record batches of one record size, built before anything is timed. Every batch
/// holds the same number of records and has the same size, so a flush schedule counted in batches
/// and one counted in records agree. The log rewrites each batch's base offset and epoch in place
/// when appending it, which leaves the batch valid for the next append. Not thread-safe.
/// </summary>
internal sealed class BatchPool
{
    /// <summary>4 MiB of distinct batches: more than a core's caches, so appends copy from memory.</summary>
    private const int PoolBytes = 4 * 1024 * 1024;

    private BatchPool(int recordBytes, byte[][] batches, int recordsPerBatch)
    {
        RecordBytes = recordBytes;
        Batches = batches;
        RecordsPerBatch = recordsPerBatch;
    }

    public int RecordBytes { get; }

    public byte[][] Batches { get; }

    public int RecordsPerBatch { get; }

    public int BatchSize => Batches[0].Length;

    /// <summary>How many batches make up about <paramref name="bytes"/> (at least one).</summary>
    public long BatchesFor(long bytes) => Math.Max(1, bytes / BatchSize);

    /// <summary>Batch number <paramref name="i"/> of an endless sequence cycling through the pool.</summary>
    public byte[] this[long i] => Batches[i % Batches.Length];

    /// <summary>Builds batches of records with a <paramref name="recordBytes"/>-byte random value and no key, filled up to <paramref name="batchBytes"/>.</summary>
    public static BatchPool Build(int recordBytes, int batchBytes)
    {
        var random = new Random(recordBytes);
        var value = new byte[recordBytes];
        using var builder = new RecordBatchBuilder();
        var count = Math.Max(1, PoolBytes / batchBytes);
        var batches = new byte[count][];
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var b = 0; b < count; b++)
        {
            builder.Reset();
            while (true)
            {
                random.NextBytes(value);
                if (!builder.HasRoomFor(batchBytes, timestamp, default, value))
                {
                    break;
                }
                builder.Append(timestamp, default, value);
            }
            batches[b] = builder.Build();
            if (batches[b].Length != batches[0].Length || builder.RecordCount != RecordsIn(batches[0]))
            {
                throw new InvalidOperationException("the pool's batches must all have the same size and record count");
            }
        }
        return new BatchPool(recordBytes, batches, RecordsIn(batches[0]));
    }

    private static int RecordsIn(byte[] batch)
    {
        RecordBatchHeader.TryRead(batch, out var header);
        return header.RecordsCount;
    }
}
