namespace AkkaStream.Records.Partitioning;

/// <summary>
/// Kafka's partitioner for records with a key: 32-bit MurmurHash2 of the key bytes with Kafka's
/// seed, made non-negative by clearing the sign bit, modulo the partition count. A Kafka client and
/// an AkkaStream producer therefore send the same key to the same partition. Records without a key
/// are not hashed (clients spread them with a "sticky" choice), so they are left to the caller.
/// Stateless, so thread-safe.
/// </summary>
public static class DefaultPartitioner
{
    private const uint Seed = 0x9747b28c;
    private const uint Multiplier = 0x5bd1e995;
    private const int Shift = 24;

    /// <summary>The partition of a record with <paramref name="key"/>, in [0, <paramref name="numPartitions"/>).</summary>
    public static int Partition(ReadOnlySpan<byte> key, int numPartitions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numPartitions);
        return ToPositive(Murmur2(key)) % numPartitions;
    }

    /// <summary>
    /// Clears the sign bit. Not <c>Math.Abs</c>: that has no positive result for int.MinValue, and
    /// would send keys to different partitions than Kafka does.
    /// </summary>
    public static int ToPositive(int value) => value & 0x7fffffff;

    /// <summary>
    /// MurmurHash2, 32 bits, as Kafka computes it: the seed is mixed with the length, four-byte
    /// blocks are read little-endian, and the one to three tail bytes are folded in before the final
    /// avalanche. Computed in unsigned arithmetic, which gives the same bits as Java's wrapping ints.
    /// </summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        var h = Seed ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var offset = 4 * i;
            var k = data[offset]
                | ((uint)data[offset + 1] << 8)
                | ((uint)data[offset + 2] << 16)
                | ((uint)data[offset + 3] << 24);
            k *= Multiplier;
            k ^= k >> Shift;
            k *= Multiplier;
            h *= Multiplier;
            h ^= k;
        }

        var tail = length & ~3;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= Multiplier;
                break;
        }

        h ^= h >> 13;
        h *= Multiplier;
        h ^= h >> 15;
        return unchecked((int)h);
    }
}
