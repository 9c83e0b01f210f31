using AkkaStream.Records.Checksums;
using AkkaStream.Records.Tests.TestSupport;

namespace AkkaStream.Records.Tests.Checksums;

public sealed class Crc32CTests
{
    [Fact]
    public void Check_value_of_123456789_is_E3069283()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0xE3069283u, ReferenceCrc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Empty_input_has_crc_zero()
    {
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Matches_the_bitwise_definition_on_random_lengths_up_to_20000()
    {
        // Above 6 KiB the fast path splits the input into three lanes and joins them; lengths on
        // both sides of each block boundary are included on purpose.
        var random = new Random(20_000);
        var data = new byte[20_000];
        random.NextBytes(data);
        var lengths = new List<int> { 0, 1, 7, 8, 9, 2047, 2048, 6143, 6144, 6145, 12288, 12289, 18432, 20_000 };
        for (var i = 0; i < 200; i++)
        {
            lengths.Add(random.Next(0, 20_001));
        }
        foreach (var length in lengths)
        {
            var offset = random.Next(0, data.Length - length + 1); // unaligned starts too
            var slice = data.AsSpan(offset, length);
            Assert.True(ReferenceCrc32C.Compute(slice) == Crc32C.Compute(slice), $"length {length} at offset {offset}");
        }
    }

    [Fact]
    public void Update_can_be_chained_over_pieces()
    {
        var data = new byte[15_000];
        new Random(7).NextBytes(data);
        var register = Crc32C.Update(~0u, data.AsSpan(0, 6_500));
        register = Crc32C.Update(register, data.AsSpan(6_500));
        Assert.Equal(Crc32C.Compute(data), ~register);
    }
}
