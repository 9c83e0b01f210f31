using System.Diagnostics;
using AkkaStream.Cli.Perf;

namespace AkkaStream.Cli.Tests.Perf;

public sealed class SendStampTests
{
    [Fact]
    public void A_stamp_written_into_a_value_reads_back_and_leaves_the_rest_alone()
    {
        var value = Enumerable.Repeat((byte)0xAB, 100).ToArray();
        var now = Stopwatch.GetTimestamp();

        SendStamp.Write(value, now);

        Assert.Equal(now, SendStamp.Read(value));
        Assert.All(value[SendStamp.Size..], b => Assert.Equal(0xAB, b));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void A_value_too_short_for_a_stamp_has_none(int length)
    {
        Assert.Null(SendStamp.Read(new byte[length]));
    }
}
