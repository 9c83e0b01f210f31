using System.Buffers.Binary;

namespace AkkaStream.Cli.Perf;

/// <summary>
/// The send time of an end-to-end record, carried in the first 8 bytes of its value as a
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp (little-endian). The record's own
/// timestamp has only millisecond resolution and is the wall clock, which can step; producer and
/// consumer share one process, so one monotonic clock measures both ends.
/// </summary>
public static class SendStamp
{
    public const int Size = sizeof(long);

    public static void Write(Span<byte> value, long stopwatchTimestamp) =>
        BinaryPrimitives.WriteInt64LittleEndian(value, stopwatchTimestamp);

    /// <summary>The stamp of <paramref name="value"/>, or null when the value is too short to carry one (a record that is not ours).</summary>
    public static long? Read(ReadOnlySpan<byte> value) =>
        value.Length < Size ? null : BinaryPrimitives.ReadInt64LittleEndian(value);
}
