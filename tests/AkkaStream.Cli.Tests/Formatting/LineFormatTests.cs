using System.Text;
using AkkaStream.Cli.Formatting;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Tests.Formatting;

public sealed class LineFormatTests
{
    [Fact]
    public void Without_parse_key_the_whole_line_is_the_value()
    {
        Assert.True(LineFormat.TryCreate(new Dictionary<string, string>(), out var format, out _));

        var (key, value) = format.Split("a:b\tc", 1);

        Assert.Null(key);
        Assert.Equal("a:b\tc", Encoding.UTF8.GetString(value));
    }

    [Fact]
    public void Parse_key_splits_at_the_first_separator_and_defaults_to_tab()
    {
        Assert.True(LineFormat.TryCreate(new Dictionary<string, string> { ["parse.key"] = "true" }, out var tab, out _));
        Assert.True(LineFormat.TryCreate(new Dictionary<string, string> { ["parse.key"] = "true", ["key.separator"] = "::" }, out var colons, out _));

        Assert.Equal(("k", "v\tw"), Text(tab.Split("k\tv\tw", 1)));
        Assert.Equal(("user-1", "a::b"), Text(colons.Split("user-1::a::b", 1)));
        Assert.Equal(("", "v"), Text(colons.Split("::v", 1)));
    }

    [Fact]
    public void A_line_without_the_separator_is_an_invalid_record()
    {
        var format = new LineFormat(ParseKey: true, KeySeparator: ":");

        var error = Assert.Throws<AkkaStreamException>(() => format.Split("no key here", 7));

        Assert.Equal(ErrorCode.InvalidRecord, error.Code);
        Assert.Contains("line 7", error.Message);
    }

    [Theory]
    [InlineData("parse.key", "maybe")]
    [InlineData("key.separator", "")]
    [InlineData("print.key", "true")]
    public void Unknown_or_malformed_properties_are_refused(string name, string value)
    {
        Assert.False(LineFormat.TryCreate(new Dictionary<string, string> { [name] = value }, out _, out var error));
        Assert.Contains(name, error);
    }

    private static (string?, string) Text((byte[]? Key, byte[] Value) record) =>
        (record.Key is null ? null : Encoding.UTF8.GetString(record.Key), Encoding.UTF8.GetString(record.Value));
}
