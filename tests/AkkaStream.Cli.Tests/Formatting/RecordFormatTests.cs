using System.Text;
using AkkaStream.Cli.Formatting;
using AkkaStream.Client.Consumer;
using AkkaStream.Records.Batches;

namespace AkkaStream.Cli.Tests.Formatting;

public sealed class RecordFormatTests
{
    private static readonly ConsumeRecord Record = new("orders", 2, 41, 1700000000000, TimestampType.CreateTime,
        Encoding.UTF8.GetBytes("user-1"), Encoding.UTF8.GetBytes("paid"), []);

    [Fact]
    public void By_default_only_the_value_is_printed() => Assert.Equal("paid", RecordFormat.Default.Format(Record));

    [Fact]
    public void Print_key_and_offset_come_before_the_value_with_the_separator()
    {
        Assert.True(RecordFormat.TryCreate(new Dictionary<string, string>
        {
            ["print.key"] = "true",
            ["print.offset"] = "true",
            ["key.separator"] = " | ",
        }, out var format, out _));

        Assert.Equal("Offset:41 | user-1 | paid", format.Format(Record));
    }

    [Fact]
    public void Every_field_in_kafkas_order_with_the_default_tab()
    {
        var format = RecordFormat.Default with { PrintTimestamp = true, PrintPartition = true, PrintOffset = true, PrintKey = true };

        Assert.Equal("CreateTime:1700000000000\tPartition:2\tOffset:41\tuser-1\tpaid", format.Format(Record));
    }

    [Fact]
    public void Null_keys_and_values_print_as_null()
    {
        var format = RecordFormat.Default with { PrintKey = true };

        Assert.Equal("null\tnull", format.Format(Record with { Key = null, Value = null }));
    }

    [Theory]
    [InlineData("print.key", "1")]
    [InlineData("parse.key", "true")]
    public void Unknown_or_malformed_properties_are_refused(string name, string value)
    {
        Assert.False(RecordFormat.TryCreate(new Dictionary<string, string> { [name] = value }, out _, out var error));
        Assert.Contains(name, error);
    }
}
