using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Consumer;

/// <summary>
/// Turns the batches of one fetch response into <see cref="ConsumeRecord"/>s. The leader returns
/// whole batches, so the first may begin below the requested offset: records below it are skipped.
/// Control batches (transaction markers) carry no application data and are skipped whole. A
/// trailing partial batch is ignored; the next fetch starts where the last whole batch ended.
/// Stateless, so thread-safe.
/// </summary>
public static class FetchDecoder
{
    /// <returns>The offset the next fetch starts from (never below <paramref name="fromOffset"/>).</returns>
    /// <exception cref="CorruptRecordException">A batch fails its CRC or is malformed.</exception>
    public static long Decode(string topic, int partition, ReadOnlySpan<byte> batches, long fromOffset, bool checkCrcs, ICollection<ConsumeRecord> into)
    {
        var next = fromOffset;
        var walk = new RecordBatchEnumerator(batches);
        while (walk.MoveNext())
        {
            var header = walk.Current;
            if (header.NextOffset <= fromOffset)
            {
                continue;
            }
            var bytes = walk.CurrentBytes;
            if (checkCrcs && RecordBatch.Validate(bytes, out var reason) != ErrorCode.None)
            {
                throw new CorruptRecordException($"{topic}-{partition} batch at offset {header.BaseOffset}: {reason}");
            }
            if (!header.Attributes.IsControl)
            {
                using var reader = new RecordBatchReader(bytes);
                while (reader.TryReadNext(out var record))
                {
                    if (record.Offset >= fromOffset)
                    {
                        into.Add(Copy(topic, partition, header.Attributes.TimestampType, record));
                    }
                }
            }
            next = Math.Max(next, header.NextOffset);
        }
        if (walk.StoppedAtMalformedHeader)
        {
            throw new CorruptRecordException($"{topic}-{partition}: a malformed batch header after offset {next}");
        }
        return next;
    }

    private static ConsumeRecord Copy(string topic, int partition, TimestampType timestampType, Record record)
    {
        // Most records carry no headers: they share one empty list rather than each allocating its own.
        IReadOnlyList<KeyValuePair<string, byte[]?>> headers = [];
        if (record.HeaderCount > 0)
        {
            var list = new List<KeyValuePair<string, byte[]?>>(record.HeaderCount);
            foreach (var header in record.Headers)
            {
                list.Add(new(header.KeyAsString(), header.IsValueNull ? null : header.Value.ToArray()));
            }
            headers = list;
        }
        return new ConsumeRecord(
            topic,
            partition,
            record.Offset,
            record.Timestamp,
            timestampType,
            record.IsKeyNull ? null : record.Key.ToArray(),
            record.IsValueNull ? null : record.Value.ToArray(),
            headers);
    }
}
