using AkkaStream.Broker.Configuration;

namespace AkkaStream.Broker.Tests.Groups;

/// <summary>The <c>akkastream.groups</c> settings: Kafka's defaults from reference.conf, overrides, and refused values.</summary>
public sealed class GroupSettingsTests
{
    private static BrokerSettings Read(params string[] overrides) => BrokerSettings.Create(BrokerConfig.FromText("", overrides));

    [Fact]
    public void The_defaults_are_Kafkas_and_overrides_are_read()
    {
        var defaults = Read().Groups;
        Assert.Equal((50, TimeSpan.FromSeconds(6), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(3), TimeSpan.FromDays(7), TimeSpan.FromMinutes(10), 4096),
            (defaults.Shards, defaults.MinSessionTimeout, defaults.MaxSessionTimeout, defaults.InitialRebalanceDelay, defaults.OffsetsRetention,
                defaults.OffsetsRetentionCheckInterval, defaults.OffsetMetadataMaxBytes));

        var set = Read("akkastream.groups.shards = 7", "akkastream.groups.initial-rebalance-delay = 0s", "akkastream.groups.snapshot-every = 5").Groups;
        Assert.Equal((7, TimeSpan.Zero, 5), (set.Shards, set.InitialRebalanceDelay, set.SnapshotEvery));
    }

    [Fact]
    public void Bad_values_are_refused_with_their_key()
    {
        Assert.Contains("groups.shards", Assert.Throws<BrokerConfigException>(() => Read("akkastream.groups.shards = 0")).Message);
        Assert.Contains("groups.min-session-timeout",
            Assert.Throws<BrokerConfigException>(() => Read("akkastream.groups.min-session-timeout = 1h", "akkastream.groups.max-session-timeout = 1m")).Message);
        Assert.Contains("groups.offsets-retention", Assert.Throws<BrokerConfigException>(() => Read("akkastream.groups.offsets-retention = 0s")).Message);
    }
}
