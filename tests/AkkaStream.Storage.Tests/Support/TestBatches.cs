using System.Text;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;

namespace AkkaStream.Storage.Tests.Support;

/// <summary>Record batches for storage tests, built with the real builder.</summary>
public static class TestBatches
{
    /// <summary>A batch of <paramref name="count"/> records "v{first+i}" with timestamps from <paramref name="timestamp"/>.</summary>
    public static byte[] Values(int first, int count, long timestamp = 1_000, CompressionType compression = CompressionType.None, int valueBytes = 0) =>
        Build(first, count, timestamp, compression, valueBytes, keyed: false);

    /// <summary>Like <see cref="Values"/>, with keys "k{first+i}" (a compacted log refuses records without one).</summary>
    public static byte[] Keyed(int first, int count, long timestamp = 1_000) =>
        Build(first, count, timestamp, CompressionType.None, valueBytes: 0, keyed: true);

    /// <summary>
    /// A batch of an idempotent producer: <paramref name="count"/> records "v{first+i}" stamped with
    /// the producer id, epoch and base sequence, with timestamps from <paramref name="timestamp"/>.
    /// </summary>
    public static byte[] Idempotent(long producerId, short epoch, int baseSequence, int first, int count, long timestamp, int valueBytes = 0)
    {
        using var builder = new RecordBatchBuilder
        {
            ProducerId = producerId,
            ProducerEpoch = epoch,
            BaseSequence = baseSequence,
        };
        for (var i = 0; i < count; i++)
        {
            builder.Append(timestamp + i, NullableBytes.Null, Encoding.UTF8.GetBytes($"v{first + i}".PadRight(valueBytes, '.')));
        }
        return builder.Build();
    }

    private static byte[] Build(int first, int count, long timestamp, CompressionType compression, int valueBytes, bool keyed)
    {
        using var builder = new RecordBatchBuilder(compression);
        for (var i = 0; i < count; i++)
        {
            var value = Encoding.UTF8.GetBytes($"v{first + i}".PadRight(valueBytes, '.'));
            builder.Append(timestamp + i, keyed ? Encoding.UTF8.GetBytes($"k{first + i}") : NullableBytes.Null, value);
        }
        return builder.Build();
    }

    /// <summary>The values of every record in <paramref name="batches"/>, with their offsets, in order.</summary>
    public static List<(long Offset, string Value)> ReadValues(ReadOnlySpan<byte> batches)
    {
        var result = new List<(long, string)>();
        var enumerator = new RecordBatchEnumerator(batches);
        while (enumerator.MoveNext())
        {
            using var reader = new RecordBatchReader(enumerator.CurrentBytes);
            while (reader.TryReadNext(out var record))
            {
                result.Add((record.Offset, Encoding.UTF8.GetString(record.Value).TrimEnd('.')));
            }
        }
        return result;
    }
}
