using AkkaStream.Cli.Parsing;

namespace AkkaStream.Cli.Tests.Parsing;

public sealed class StartOffsetTests
{
    [Fact]
    public void Earliest_latest_and_numbers_are_read()
    {
        Assert.True(StartOffset.TryParse("earliest", out var earliest));
        Assert.True(StartOffset.TryParse("LATEST", out var latest));
        Assert.True(StartOffset.TryParse("42", out var exact));
        Assert.Equal(StartOffset.Earliest, earliest);
        Assert.Equal(StartOffset.Latest, latest);
        Assert.Equal(StartOffset.At(42), exact);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("first")]
    [InlineData("")]
    public void Anything_else_is_refused(string text) => Assert.False(StartOffset.TryParse(text, out _));
}
