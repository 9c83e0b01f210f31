using AkkaStream.Records.Encoding;

namespace AkkaStream.Records.Tests.Encoding;

public sealed class ByteCopiesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(1_000_000)]
    public void A_copy_holds_the_same_bytes_in_an_array_of_its_own(int length)
    {
        var source = new byte[length + 2];
        new Random(length).NextBytes(source);

        var copy = ByteCopies.ToArray(source.AsSpan(1, length));

        Assert.Equal(source.AsSpan(1, length).ToArray(), copy);
        source[1] ^= 0xff;
        Assert.NotEqual(source[1], copy[0]);
    }

    [Fact]
    public void Nothing_copies_to_an_empty_array()
    {
        Assert.Empty(ByteCopies.ToArray(ReadOnlySpan<byte>.Empty));
    }
}
