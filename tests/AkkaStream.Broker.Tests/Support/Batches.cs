using System.Text;
using AkkaStream.Records.Batches;

namespace AkkaStream.Broker.Tests.Support;

/// <summary>Builds record batches and reads values back, for tests.</summary>
public static class Batches
{
    public static byte[] Of(params string[] values)
    {
        using var builder = new RecordBatchBuilder();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var value in values)
        {
            builder.Append(now, Encoding.UTF8.GetBytes("k-" + value), Encoding.UTF8.GetBytes(value));
        }
        return builder.Build();
    }

    /// <summary>A batch of an idempotent producer: its id, epoch and the sequence of its first record.</summary>
    public static byte[] Idempotent(long producerId, short epoch, int baseSequence, params string[] values)
    {
        using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence };
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var value in values)
        {
            builder.Append(now, Encoding.UTF8.GetBytes("k-" + value), Encoding.UTF8.GetBytes(value));
        }
        return builder.Build();
    }

    /// <summary>The values of every record in <paramref name="bytes"/> (whole batches laid end to end), with their offsets.</summary>
    public static List<(long Offset, string Value)> Read(byte[] bytes)
    {
        var result = new List<(long, string)>();
        var batches = new RecordBatchEnumerator(bytes);
        while (batches.MoveNext())
        {
            using var reader = new RecordBatchReader(batches.CurrentBytes);
            while (reader.TryReadNext(out var record))
            {
                result.Add((record.Offset, Encoding.UTF8.GetString(record.Value)));
            }
        }
        return result;
    }
}
