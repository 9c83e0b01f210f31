using System.Buffers.Binary;

namespace AkkaStream.Storage.Segments;

/// <summary>An offset index entry: the batch that starts at <see cref="Position"/> ends at <see cref="Offset"/>.</summary>
internal readonly record struct OffsetPosition(long Offset, int Position);

/// <summary>
/// The <c>.index</c> file: maps offsets to byte positions in the segment's log. Each 8-byte entry
/// holds the offset relative to the segment's base offset (int32) and the file position (int32),
/// big-endian, as Kafka lays them out. Not thread-safe: owned by its segment.
/// </summary>
internal sealed class OffsetIndex(string path, long baseOffset, int maxIndexBytes)
    : IndexFile<OffsetPosition>(path, baseOffset, maxIndexBytes)
{
    private const int RelativeOffsetField = 0;
    private const int PositionField = 4;
    private const int Size = 8;

    protected override int EntrySize => Size;

    /// <summary>The last entry whose offset is at or below <paramref name="offset"/>, or the segment start.</summary>
    public OffsetPosition Lookup(long offset)
    {
        var i = FindLast(e => e.Offset <= offset);
        return i < 0 ? new OffsetPosition(BaseOffset, 0) : this[i];
    }

    /// <summary>Keeps only the entries that point below <paramref name="position"/>.</summary>
    public void TruncateToPosition(int position) => TruncateToCount(FindLast(e => e.Position < position) + 1);

    public bool TryLoad(long logFileSize) =>
        TryLoad((entry, previous) =>
            entry.Offset >= BaseOffset
            && entry.Position >= 0
            && entry.Position < logFileSize
            && (previous is not { } p || (entry.Offset > p.Offset && entry.Position > p.Position)));

    protected override void Encode(OffsetPosition entry, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination[RelativeOffsetField..], checked((int)(entry.Offset - BaseOffset)));
        BinaryPrimitives.WriteInt32BigEndian(destination[PositionField..], entry.Position);
    }

    protected override OffsetPosition Decode(ReadOnlySpan<byte> source) =>
        new(BaseOffset + BinaryPrimitives.ReadInt32BigEndian(source[RelativeOffsetField..]),
            BinaryPrimitives.ReadInt32BigEndian(source[PositionField..]));
}
