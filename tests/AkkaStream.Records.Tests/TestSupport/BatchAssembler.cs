using AkkaStream.Records.Batches;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Tests.TestSupport;

/// <summary>
/// Puts a header with a correct length and CRC in front of any records section, so tests can make
/// batches the builder would never make (gaps, wrong counts, broken records) that still pass
/// <see cref="RecordBatch.Validate"/>, and so reach the reader's own checks.
/// </summary>
internal static class BatchAssembler
{
    public static byte[] Assemble(
        ReadOnlySpan<byte> records,
        int recordsCount,
        int lastOffsetDelta,
        long baseOffset = 0,
        long baseTimestamp = 1_000,
        long maxTimestamp = 1_000,
        BatchAttributes attributes = default)
    {
        var batch = new byte[HeaderSize + records.Length];
        new RecordBatchHeader(
            BaseOffset: baseOffset,
            BatchLength: batch.Length - LogOverhead,
            PartitionLeaderEpoch: -1,
            Magic: CurrentMagic,
            Crc: 0,
            Attributes: attributes,
            LastOffsetDelta: lastOffsetDelta,
            BaseTimestamp: baseTimestamp,
            MaxTimestamp: maxTimestamp,
            ProducerId: -1,
            ProducerEpoch: -1,
            BaseSequence: -1,
            RecordsCount: recordsCount).WriteTo(batch);
        records.CopyTo(batch.AsSpan(HeaderSize));
        RecordBatch.WriteCrc(batch);
        return batch;
    }

    /// <summary>The encoded records of <paramref name="batch"/> (uncompressed), one array each.</summary>
    public static List<byte[]> SplitRecords(byte[] batch)
    {
        var records = new List<byte[]>();
        using var reader = new RecordBatchReader(batch);
        var position = HeaderSize;
        while (reader.TryReadNext(out var record))
        {
            records.Add(batch.AsSpan(position, record.SizeInBytes).ToArray());
            position += record.SizeInBytes;
        }
        return records;
    }

    /// <summary>Reads every record; returns how many there were. For Assert.Throws.</summary>
    public static int Drain(byte[] batch, int maxDecompressedBytes = RecordBatchReader.DefaultMaxDecompressedBytes)
    {
        using var reader = new RecordBatchReader(batch, maxDecompressedBytes);
        var count = 0;
        while (reader.TryReadNext(out var record))
        {
            foreach (var header in record.Headers)
            {
                _ = header.Value.Length;
            }
            count++;
        }
        return count;
    }
}
