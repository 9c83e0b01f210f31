using System.Buffers.Binary;

namespace AkkaStream.Storage.Segments;

/// <summary>A time index entry: every record with a timestamp above <see cref="Timestamp"/> lies after <see cref="Offset"/>.</summary>
internal readonly record struct TimestampOffset(long Timestamp, long Offset);

/// <summary>
/// The <c>.timeindex</c> file: maps timestamps to offsets. Each 12-byte entry holds the largest
/// timestamp seen so far (int64) and the offset relative to the base offset of the record carrying
/// it (int32), big-endian, as Kafka lays them out. Timestamps strictly increase from entry to
/// entry. Not thread-safe: owned by its segment.
/// </summary>
internal sealed class TimeIndex(string path, long baseOffset, int maxIndexBytes)
    : IndexFile<TimestampOffset>(path, baseOffset, maxIndexBytes)
{
    private const int TimestampField = 0;
    private const int RelativeOffsetField = 8;
    private const int Size = 12;

    protected override int EntrySize => Size;

    /// <summary>Appends an entry when its timestamp is newer than the last one's; otherwise the index already covers it.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        // A full index takes no more entries; the segment's largest timestamp is then recomputed
        // from the batches after the last offset index entry when the segment is opened.
        if (IsFull)
        {
            return;
        }
        if (Last is { } last && (timestamp <= last.Timestamp || offset < last.Offset))
        {
            return;
        }
        Append(new TimestampOffset(timestamp, offset));
    }

    /// <summary>The last entry whose timestamp is below <paramref name="timestamp"/>, or the segment start.</summary>
    public TimestampOffset LookupBefore(long timestamp)
    {
        var i = FindLast(e => e.Timestamp < timestamp);
        return i < 0 ? new TimestampOffset(-1, BaseOffset) : this[i];
    }

    /// <summary>Keeps only the entries whose offset is below <paramref name="offset"/>.</summary>
    public void TruncateToOffset(long offset) => TruncateToCount(FindLast(e => e.Offset < offset) + 1);

    public bool TryLoad(long maxOffset) =>
        TryLoad((entry, previous) =>
            entry.Offset >= BaseOffset
            && entry.Offset <= maxOffset
            && (previous is not { } p || (entry.Timestamp > p.Timestamp && entry.Offset >= p.Offset)));

    protected override void Encode(TimestampOffset entry, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination[TimestampField..], entry.Timestamp);
        BinaryPrimitives.WriteInt32BigEndian(destination[RelativeOffsetField..], checked((int)(entry.Offset - BaseOffset)));
    }

    protected override TimestampOffset Decode(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadInt64BigEndian(source[TimestampField..]),
            BaseOffset + BinaryPrimitives.ReadInt32BigEndian(source[RelativeOffsetField..]));
}
