using System.Buffers.Binary;
using System.Globalization;
using AkkaStream.Records.Checksums;
using AkkaStream.Storage.Checkpoints;

namespace AkkaStream.Storage.Producers;

/// <summary>
/// A partition's producer state at one offset, in <c>&lt;20-digit offset&gt;.snapshot</c> beside the
/// segments: every producer's entry as it stood once the batches below that offset were applied.
/// Our own layout (Kafka's idea, not its bytes), big-endian:
/// <code>
/// offset  size  field
///  0       2    version                 1
///  2       4    crc                     CRC-32C of every byte after this field
///  6       4    producer count N
/// 10       …    N producers, each:
///                 0  8  producer id
///                 8  2  epoch
///                10  8  last timestamp
///                18  4  batch count B (at most 5)
///                22  …  B batches of 32 bytes: first sequence (4), last sequence (4),
///                       first offset (8), last offset (8), timestamp (8)
/// </code>
/// Written to a temporary file and renamed, without fsync: a snapshot only saves replaying batch
/// headers, so one that a power loss leaves torn or empty fails its CRC or length check and is
/// deleted, and one that is missing means a longer replay, never wrong state. Syncing it would
/// stall the append that rolls a segment and every close (Kafka moved its snapshot flush off the
/// append path for the same reason). Thread-safe (stateless); each partition's log is the only
/// writer of its snapshots.
/// </summary>
internal static class ProducerSnapshotFile
{
    public const string Suffix = ".snapshot";

    private const short Version = 1;
    private const int VersionOffset = 0;
    private const int CrcOffset = 2;
    private const int CountOffset = 6;
    private const int HeaderSize = 10;
    private const int ProducerHeaderSize = 22;
    private const int BatchSize = 32;

    public static string PathFor(string directory, long offset) =>
        Path.Combine(directory, offset.ToString("D20", CultureInfo.InvariantCulture) + Suffix);

    /// <summary>The offsets of the snapshots in <paramref name="directory"/>, ascending.</summary>
    public static List<long> ListOffsets(string directory)
    {
        var offsets = new List<long>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + Suffix))
        {
            var name = Path.GetFileName(path);
            var digits = name[..^Suffix.Length];
            if (digits.Length == 20 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                offsets.Add(offset);
            }
        }
        offsets.Sort();
        return offsets;
    }

    public static void Write(string directory, long offset, IReadOnlyCollection<ProducerStateEntry> entries)
    {
        var size = HeaderSize;
        foreach (var entry in entries) size += ProducerHeaderSize + entry.Batches.Count * BatchSize;
        var bytes = new byte[size];
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(VersionOffset), Version);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(CountOffset), entries.Count);
        var at = HeaderSize;
        foreach (var entry in entries)
        {
            var span = bytes.AsSpan(at);
            BinaryPrimitives.WriteInt64BigEndian(span, entry.ProducerId);
            BinaryPrimitives.WriteInt16BigEndian(span[8..], entry.Epoch);
            BinaryPrimitives.WriteInt64BigEndian(span[10..], entry.LastTimestamp);
            BinaryPrimitives.WriteInt32BigEndian(span[18..], entry.Batches.Count);
            at += ProducerHeaderSize;
            foreach (var batch in entry.Batches)
            {
                span = bytes.AsSpan(at);
                BinaryPrimitives.WriteInt32BigEndian(span, batch.FirstSequence);
                BinaryPrimitives.WriteInt32BigEndian(span[4..], batch.LastSequence);
                BinaryPrimitives.WriteInt64BigEndian(span[8..], batch.FirstOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[16..], batch.LastOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[24..], batch.Timestamp);
                at += BatchSize;
            }
        }
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(CrcOffset), Crc32C.Compute(bytes.AsSpan(CountOffset)));

        var path = PathFor(directory, offset);
        var temp = path + CheckpointFile.TempSuffix;
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a snapshot; null (with <paramref name="problem"/>) when it is damaged or of another version.</summary>
    public static List<ProducerStateEntry>? TryRead(string path, out string? problem)
    {
        var bytes = File.ReadAllBytes(path);
        problem = Parse(bytes, out var entries);
        return problem is null ? entries : null;
    }

    private static string? Parse(byte[] bytes, out List<ProducerStateEntry> entries)
    {
        entries = [];
        if (bytes.Length < HeaderSize)
        {
            return $"{bytes.Length} bytes is shorter than the {HeaderSize}-byte header";
        }
        var version = BinaryPrimitives.ReadInt16BigEndian(bytes);
        if (version != Version)
        {
            return $"version {version}, expected {Version}";
        }
        var stored = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(CrcOffset));
        if (stored != Crc32C.Compute(bytes.AsSpan(CountOffset)))
        {
            return "CRC mismatch";
        }
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(CountOffset));
        var at = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            if (bytes.Length - at < ProducerHeaderSize)
            {
                return $"producer {i} is cut short";
            }
            var span = bytes.AsSpan(at);
            var producerId = BinaryPrimitives.ReadInt64BigEndian(span);
            var epoch = BinaryPrimitives.ReadInt16BigEndian(span[8..]);
            var lastTimestamp = BinaryPrimitives.ReadInt64BigEndian(span[10..]);
            var batchCount = BinaryPrimitives.ReadInt32BigEndian(span[18..]);
            at += ProducerHeaderSize;
            if (batchCount is < 0 or > ProducerStateEntry.BatchesRetained || bytes.Length - at < batchCount * BatchSize)
            {
                return $"producer {producerId} has a bad batch count {batchCount}";
            }
            var batches = new ProducerBatchMetadata[batchCount];
            for (var b = 0; b < batchCount; b++)
            {
                span = bytes.AsSpan(at);
                batches[b] = new ProducerBatchMetadata(
                    BinaryPrimitives.ReadInt32BigEndian(span),
                    BinaryPrimitives.ReadInt32BigEndian(span[4..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[8..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[16..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[24..]));
                at += BatchSize;
            }
            entries.Add(ProducerStateEntry.Restore(producerId, epoch, lastTimestamp, batches));
        }
        return at == bytes.Length ? null : $"{bytes.Length - at} bytes after the last producer";
    }
}
