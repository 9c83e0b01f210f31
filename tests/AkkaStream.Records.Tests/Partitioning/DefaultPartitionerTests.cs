using AkkaStream.Records.Partitioning;

namespace AkkaStream.Records.Tests.Partitioning;

public sealed class DefaultPartitionerTests
{
    // Results of Kafka's Java murmur2 on the UTF-8 bytes of each string.
    [Theory]
    [InlineData("21", -973932308)]                                              // 2-byte tail only
    [InlineData("foobar", -790332482)]                                          // 1 block + 2-byte tail
    [InlineData("a-little-bit-long-string", -985981536)]                        // 6 blocks, no tail
    [InlineData("a-little-bit-longer-string", -1486304829)]                     // 6 blocks + 2-byte tail
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)] // 12 blocks, no tail
    [InlineData("abc", 479470107)]                                              // 3-byte tail only
    public void Murmur2_matches_kafka(string key, int expected)
    {
        Assert.Equal(expected, DefaultPartitioner.Murmur2(System.Text.Encoding.UTF8.GetBytes(key)));
    }

    // Derived with a second, independent implementation of the same algorithm (written from the
    // MurmurHash2 definition, checked against the Kafka values above), for the cases those miss.
    [Theory]
    [InlineData("", 275646681)]              // no blocks, no tail: only seed ^ length and the avalanche
    [InlineData("a", -1563381124)]           // 1-byte tail only
    [InlineData("abcd", -1323649548)]        // exactly one block
    [InlineData("abcde", 461995741)]         // 1 block + 1-byte tail
    public void Murmur2_covers_every_tail_length(string key, int expected)
    {
        Assert.Equal(expected, DefaultPartitioner.Murmur2(System.Text.Encoding.UTF8.GetBytes(key)));
    }

    [Theory]
    [InlineData("a", 12, 4)]
    [InlineData("abcd", 12, 8)]
    [InlineData("user-42", 3, 1)]
    [InlineData("key-1", 12, 0)]
    [InlineData("21", 1, 0)]
    public void Partition_is_the_positive_hash_modulo_the_partition_count(string key, int partitions, int expected)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(key);
        Assert.Equal(expected, DefaultPartitioner.Partition(bytes, partitions));
        Assert.Equal((DefaultPartitioner.Murmur2(bytes) & 0x7fffffff) % partitions, DefaultPartitioner.Partition(bytes, partitions));
    }

    [Fact]
    public void To_positive_clears_the_sign_bit_rather_than_negating()
    {
        Assert.Equal(0, DefaultPartitioner.ToPositive(int.MinValue));
        Assert.Equal(int.MaxValue, DefaultPartitioner.ToPositive(-1));
        Assert.Equal(1_000_000_001, DefaultPartitioner.ToPositive(-1_147_483_647));
        Assert.Equal(42, DefaultPartitioner.ToPositive(42));
    }

    [Fact]
    public void Partitions_stay_in_range_for_negative_hashes()
    {
        var random = new Random(99);
        var key = new byte[16];
        for (var i = 0; i < 1_000; i++)
        {
            random.NextBytes(key);
            var partitions = random.Next(1, 100);
            var partition = DefaultPartitioner.Partition(key, partitions);
            Assert.InRange(partition, 0, partitions - 1);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Partition_count_must_be_positive(int partitions)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultPartitioner.Partition("k"u8, partitions));
    }
}
