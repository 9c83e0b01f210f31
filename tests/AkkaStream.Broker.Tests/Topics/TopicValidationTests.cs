using AkkaStream.Broker.Topics;
using AkkaStream.Records.Errors;
using AkkaStream.Storage;

namespace AkkaStream.Broker.Tests.Topics;

public sealed class TopicValidationTests
{
    [Theory]
    [InlineData("orders")]
    [InlineData("a.b_c-D9")]
    public void Legal_names_pass(string name) => TopicName.Validate(name);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("hash#e1")]
    public void Illegal_names_are_InvalidTopicException(string name)
    {
        var e = Assert.Throws<AkkaStreamException>(() => TopicName.Validate(name));
        Assert.Equal(ErrorCode.InvalidTopicException, e.Code);
    }

    [Fact]
    public void A_name_longer_than_249_characters_is_refused()
    {
        TopicName.Validate(new string('a', 249));
        Assert.Equal(ErrorCode.InvalidTopicException, Assert.Throws<AkkaStreamException>(() => TopicName.Validate(new string('a', 250))).Code);
    }

    [Fact]
    public void Kafka_setting_names_map_onto_the_log_config()
    {
        var config = TopicConfigParser.Parse(new Dictionary<string, string>
        {
            ["retention.ms"] = "1000",
            ["segment.bytes"] = "2048",
            ["cleanup.policy"] = "compact,delete",
            ["message.timestamp.type"] = "LogAppendTime",
            ["min.insync.replicas"] = "2",
        }, LogConfig.Default);
        Assert.Equal(1000, config.RetentionMs);
        Assert.Equal(2048, config.SegmentBytes);
        Assert.Equal(CleanupPolicy.Compact | CleanupPolicy.Delete, config.CleanupPolicy);
        Assert.Equal(Records.Batches.TimestampType.LogAppendTime, config.MessageTimestampType);
    }

    [Theory]
    [InlineData("retention.ms", "soon")]
    [InlineData("segment.bytes", "1")]
    [InlineData("cleanup.policy", "forever")]
    [InlineData("min.cleanable.dirty.ratio", "2")]
    [InlineData("no.such.setting", "1")]
    public void Unknown_settings_and_bad_values_are_InvalidConfig_naming_the_setting(string name, string value)
    {
        var e = Assert.Throws<AkkaStreamException>(() => TopicConfigParser.Parse(new Dictionary<string, string> { [name] = value }, LogConfig.Default));
        Assert.Equal(ErrorCode.InvalidConfig, e.Code);
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Describe_lists_every_setting_marking_the_defaults()
    {
        var entries = TopicConfigParser.Describe(new Dictionary<string, string> { ["retention.ms"] = "5" }, LogConfig.Default);
        Assert.Equal(TopicConfigParser.Names.Count, entries.Count);
        Assert.Contains(("retention.ms", "5", false), entries);
        Assert.Contains(("segment.bytes", "1073741824", true), entries);
    }
}
