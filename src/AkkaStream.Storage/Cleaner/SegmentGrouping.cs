namespace AkkaStream.Storage.Cleaner;

/// <summary>A run of adjacent segments that compaction rewrites into one: indexes [Start, End) of the log's inactive segments.</summary>
internal readonly record struct SegmentGroup(int Start, int End)
{
    public int Count => End - Start;
}

/// <summary>
/// Splits the segments to clean into runs that each become one cleaned segment, so that small
/// segments left by earlier compactions merge. Thread-safe (stateless).
/// </summary>
/// <remarks>
/// A run is sized by the segments it replaces, before compaction, so its output can never pass
/// <c>segment.bytes</c>; and it spans at most int32 offsets from its base, because the index files
/// store offsets relative to the base offset as int32. Index capacity needs no check: a segment
/// whose index is full simply stops adding entries, and lookups walk a little further.
/// </remarks>
internal static class SegmentGrouping
{
    public static List<SegmentGroup> Group(IReadOnlyList<SegmentSnapshot> segments, int start, int end, int maxSegmentBytes)
    {
        var groups = new List<SegmentGroup>();
        var i = start;
        while (i < end)
        {
            var first = i;
            var size = segments[i].Size;
            i++;
            while (i < end
                && size + segments[i].Size <= maxSegmentBytes
                && segments[i].NextOffset - 1 - segments[first].BaseOffset <= int.MaxValue)
            {
                size += segments[i].Size;
                i++;
            }
            groups.Add(new SegmentGroup(first, i));
        }
        return groups;
    }
}
