using AkkaStream.Cli.Parsing;

namespace AkkaStream.Cli.Tests.Parsing;

public sealed class KeyValuesTests
{
    [Theory]
    [InlineData("cleanup.policy=compact", "cleanup.policy", "compact")]
    [InlineData(" retention.ms =1000", "retention.ms", "1000")]
    [InlineData("key.separator=", "key.separator", "")]
    [InlineData("a=b=c", "a", "b=c")]
    [InlineData("key.separator= : ", "key.separator", " : ")]
    public void A_pair_splits_at_its_first_equals_sign(string text, string key, string value)
    {
        Assert.True(KeyValues.TryParse(text, out var pair, out _));
        Assert.Equal((key, value), (pair.Key, pair.Value));
    }

    [Theory]
    [InlineData("compact")]
    [InlineData("=compact")]
    [InlineData(" =x")]
    [InlineData("")]
    public void Text_without_a_key_is_refused(string text)
    {
        Assert.False(KeyValues.TryParse(text, out _, out var error));
        Assert.Contains("key=value", error);
    }

    [Fact]
    public void A_key_given_twice_keeps_its_last_value()
    {
        Assert.True(KeyValues.TryParseAll(["a=1", "b=2", "a=3"], out var pairs, out _));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "3", ["b"] = "2" }, pairs);
    }
}
