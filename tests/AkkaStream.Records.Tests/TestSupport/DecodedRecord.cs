using AkkaStream.Records.Batches;
using Record = AkkaStream.Records.Batches.Record;

namespace AkkaStream.Records.Tests.TestSupport;

/// <summary>A record copied out of a reader into plain objects, so tests can compare whole records.</summary>
internal sealed record DecodedRecord(long Offset, long Timestamp, byte[]? Key, byte[]? Value, DecodedHeader[] Headers)
{
    public static DecodedRecord From(Record record)
    {
        var headers = new List<DecodedHeader>();
        foreach (var header in record.Headers)
        {
            headers.Add(new DecodedHeader(header.KeyAsString(), header.IsValueNull ? null : header.Value.ToArray()));
        }
        return new DecodedRecord(
            record.Offset,
            record.Timestamp,
            record.IsKeyNull ? null : record.Key.ToArray(),
            record.IsValueNull ? null : record.Value.ToArray(),
            headers.ToArray());
    }

    /// <summary>Reads every record of <paramref name="batch"/>.</summary>
    public static List<DecodedRecord> ReadAll(ReadOnlySpan<byte> batch)
    {
        var records = new List<DecodedRecord>();
        using var reader = new RecordBatchReader(batch);
        foreach (var record in reader)
        {
            records.Add(From(record));
        }
        return records;
    }

    public bool Equals(DecodedRecord? other) =>
        other is not null
        && Offset == other.Offset
        && Timestamp == other.Timestamp
        && SameBytes(Key, other.Key)
        && SameBytes(Value, other.Value)
        && Headers.Length == other.Headers.Length
        && Headers.Zip(other.Headers).All(pair => pair.First.Key == pair.Second.Key && SameBytes(pair.First.Value, pair.Second.Value));

    public override int GetHashCode() => HashCode.Combine(Offset, Timestamp);

    public override string ToString() =>
        $"offset {Offset}, timestamp {Timestamp}, key {Show(Key)}, value {Show(Value)}, headers [{string.Join(", ", Headers.Select(h => $"{h.Key}={Show(h.Value)}"))}]";

    private static bool SameBytes(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static string Show(byte[]? bytes) => bytes is null ? "null" : Convert.ToHexString(bytes);
}

internal sealed record DecodedHeader(string Key, byte[]? Value);
