using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Tests.Support;

namespace AkkaStream.Broker.Tests.Configuration;

/// <summary>
/// Each configuration mistake refused by <see cref="BrokerConfig.Load"/> with one message naming
/// the file it came from, the key, and what is expected.
/// </summary>
public sealed class ConfigurationMistakeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string File(string text)
    {
        var path = _dir.Sub($"node-{Guid.NewGuid():N}.conf");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private BrokerConfigException Refused(string fileText)
    {
        var path = File(fileText);
        var e = Assert.Throws<BrokerConfigException>(() => BrokerConfig.Load(path));
        Assert.Equal(path, e.Origin);
        Assert.StartsWith($"{path}: {e.Key}: ", e.Message);
        return e;
    }

    [Theory]
    [InlineData("akkastream { replica-lag-time-mx = 10s }", "akkastream.replica-lag-time-mx", "did you mean akkastream.replica-lag-time-max?")]
    [InlineData("akkastream.listner.port = 2600", "akkastream.listner", "did you mean akkastream.listener?")]
    [InlineData("akkastream.kafka.max-request-bytes = 1000000", "akkastream.kafka.max-request-bytes", "did you mean akkastream.kafka.max-request-size?")]
    [InlineData("akkastream.topic-defaults.segment-byte = 1000000", "akkastream.topic-defaults.segment-byte", "did you mean akkastream.topic-defaults.segment-bytes?")]
    [InlineData("akkastream.compression = zstd", "akkastream.compression", "is not a setting the broker knows (the settings are listed in hocon/reference.conf)")]
    public void An_unknown_key_is_refused_with_the_nearest_known_one(string text, string key, string expected)
    {
        var e = Refused(text);
        Assert.Equal(key, e.Key);
        Assert.EndsWith(expected, e.Message);
    }

    [Fact]
    public void Topic_defaults_take_every_topic_setting_name_with_dashes()
    {
        // Not listed in reference.conf, but topic settings all the same.
        var config = BrokerConfig.Load(File("akkastream.topic-defaults { min-insync-replicas = 2, unclean-leader-election-enable = false }"));
        Assert.Equal("2", config.GetString("akkastream.topic-defaults.min-insync-replicas"));
    }

    [Theory]
    [InlineData("akkastream.num-partitions = many", "akkastream.num-partitions", "expected an integer from 1 to 1000000, found 'many'")]
    [InlineData("akkastream.broker-id { id = 1 }", "akkastream.broker-id", "expected a single value, found a section { ... }")]
    [InlineData("akkastream.listener = 2600", "akkastream.listener", "expected a section { ... } of settings, found '2600'")]
    [InlineData("akkastream.admin-timeout = soon", "akkastream.admin-timeout", "expected a positive duration, e.g. 30s or 500ms, found 'soon'")]
    [InlineData("akkastream.auto-create-topics = maybe", "akkastream.auto-create-topics", "expected on/off or true/false, found 'maybe'")]
    [InlineData("akkastream.groups.shards = [1, 2]", "akkastream.groups.shards", "expected a single value, found a list [ ... ]")]
    public void A_value_of_the_wrong_type_is_refused(string text, string key, string expected)
    {
        var e = Refused(text);
        Assert.Equal(key, e.Key);
        Assert.EndsWith(expected, e.Message);
    }

    [Theory]
    [InlineData("akkastream.broker-id = -1", "akkastream.broker-id", "expected an integer from 0 to 2147483647, found -1")]
    [InlineData("akkastream.listener.port = 70000", "akkastream.listener.port", "expected an integer from 0 to 65535, found 70000")]
    [InlineData("akkastream.kafka.port = -5", "akkastream.kafka.port", "expected an integer from 0 to 65535, found -5")]
    [InlineData("akkastream.default-replication-factor = 0", "akkastream.default-replication-factor", "expected an integer from 1 to 32767, found 0")]
    [InlineData("akkastream.log-maintenance.cleaner-write-buffer-bytes = -1", "akkastream.log-maintenance.cleaner-write-buffer-bytes", "found -1")]
    [InlineData("akkastream.topic-defaults.segment-bytes = 10", "akkastream.topic-defaults.segment-bytes", "must be between 14 and 2147483647")]
    [InlineData("akkastream.journal.busy-timeout = -3s", "akkastream.journal.busy-timeout", "expected a positive duration, e.g. 30s or 500ms, found '-3s'")]
    [InlineData("akkastream.groups.initial-rebalance-delay = -1s", "akkastream.groups.initial-rebalance-delay", "expected a duration of 0 or more, e.g. 3s, found '-1s'")]
    [InlineData("akkastream.replication.fetch-max-bytes = 100000000", "akkastream.replication.fetch-max-bytes", "expected an integer from 65536 to 6291456, found 100000000")]
    [InlineData("akkastream.groups { min-session-timeout = 1m, max-session-timeout = 30s }", "akkastream.groups.min-session-timeout",
        "expected at most akkastream.groups.max-session-timeout (00:00:30), found 00:01:00")]
    [InlineData("akkastream.replication { fetch-min-bytes = 5000000, fetch-max-bytes = 4194304 }", "akkastream.replication.fetch-min-bytes",
        "expected at most akkastream.replication.fetch-max-bytes (4194304), found 5000000")]
    [InlineData("akkastream.topic-defaults { min-compaction-lag-ms = 10000, max-compaction-lag-ms = 5000 }", "akkastream.topic-defaults.min-compaction-lag-ms",
        "expected at most akkastream.topic-defaults.max-compaction-lag-ms (5000), found 10000")]
    [InlineData("akkastream { listener.port = 2600, kafka.port = 2600 }", "akkastream.kafka.port",
        "expected a port other than akkastream.listener.port (Akka.Remote is on 127.0.0.1:2600), found 2600")]
    [InlineData("akkastream { kafka.port = 9100, http.port = 9100 }", "akkastream.http.port",
        "expected a port other than akkastream.kafka.port (the Kafka listener is on 127.0.0.1:9100), found 9100")]
    public void An_impossible_value_is_refused(string text, string key, string expected)
    {
        var e = Refused(text);
        Assert.Equal(key, e.Key);
        Assert.EndsWith(expected, e.Message);
    }

    [Fact]
    public void An_override_is_named_as_coming_from_set_even_over_a_file_that_sets_the_key_well()
    {
        var path = File("akkastream.num-partitions = 4");
        var e = Assert.Throws<BrokerConfigException>(() => BrokerConfig.Load(path, ["akkastream.num-partitions = -4"]));
        Assert.Equal("--set: akkastream.num-partitions: expected an integer from 1 to 1000000, found -4", e.Message);
        var unknown = Assert.Throws<BrokerConfigException>(() => BrokerConfig.Load(path, ["akkastream.num-partition = 4"]));
        Assert.Equal("--set: akkastream.num-partition: is not a setting the broker knows; did you mean akkastream.num-partitions?", unknown.Message);
    }

    [Fact]
    public void Keys_are_named_by_the_layer_that_set_them()
    {
        var path = File("akkastream.broker-id = 4");
        var sources = BrokerConfig.Open(path, ["akkastream.num-partitions = 2"]).Sources;
        Assert.Equal(ConfigSources.Override, sources.NameOf("akkastream.num-partitions"));
        Assert.Equal(path, sources.NameOf("akkastream.broker-id"));
        Assert.Equal(ConfigSources.ReferenceDefaults, sources.NameOf("akkastream.admin-timeout"));
        var defaults = BrokerConfig.Open(null).Sources;
        Assert.Equal(ConfigSources.SingleNodeDefaults, defaults.NameOf("akkastream.listener.port"));
        var taken = defaults.Attribute(new BrokerConfigException("akkastream.listener.port", "port 2552 on 127.0.0.1 is already in use"));
        Assert.Equal($"{ConfigSources.SingleNodeDefaults}: akkastream.listener.port: port 2552 on 127.0.0.1 is already in use", taken.Message);
    }

    [Fact]
    public void A_file_cut_short_is_named()
    {
        var path = File("akkastream { broker-id = ");
        var e = Assert.Throws<BrokerConfigException>(() => BrokerConfig.Load(path));
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.Contains("expected", e.Message);
    }

    [Fact]
    public void A_correct_file_setting_every_reference_key_still_loads()
    {
        // The reference itself, as a node's file: every key it lists is known, every value valid.
        var reference = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "hocon", "reference.conf");
        var settings = BrokerSettings.Create(BrokerConfig.Load(reference, ["akkastream.data-dir = \"" + _dir.Sub("data") + "\""]));
        Assert.Equal(0, settings.BrokerId);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Replication.LagTimeMax);
    }
}
