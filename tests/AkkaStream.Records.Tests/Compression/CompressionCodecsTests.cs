using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;

namespace AkkaStream.Records.Tests.Compression;

public class CompressionCodecsTests
{
    [Theory]
    [MemberData(nameof(CodecTestKit.All), MemberType = typeof(CodecTestKit))]
    public void Each_type_maps_to_its_codec(CompressionType type) =>
        Assert.Equal(type, CompressionCodecs.For(type).Type);

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(-1)]
    public void Unknown_types_are_refused(int code)
    {
        var error = Assert.Throws<AkkaStreamException>(() => CompressionCodecs.For((CompressionType)code));
        Assert.Equal(ErrorCode.UnsupportedCompressionType, error.Code);
    }
}
