using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;

namespace AkkaStream.Broker.Tests.Configuration;

public sealed class BrokerConfigTests
{
    [Fact]
    public void Defaults_come_from_the_embedded_single_node_file_and_reference()
    {
        var settings = BrokerSettings.Create(BrokerConfig.Load(null));
        Assert.Equal(1, settings.BrokerId);
        Assert.Equal(1, settings.DefaultReplicationFactor);
        Assert.Equal(2552, settings.ListenerPort);
        Assert.Equal(Path.GetFullPath("./data"), settings.DataDir);
        Assert.Equal(Path.GetFullPath("./data/cluster.db"), settings.JournalPath);
        Assert.Equal(604800000, settings.TopicDefaults.RetentionMs);
        Assert.Equal(86_400_000, settings.TopicDefaults.ProducerIdExpirationMs);
        Assert.Equal("broker-id-1", settings.BrokerIdRole);
    }

    [Fact]
    public void Overrides_win_over_the_file_and_later_overrides_over_earlier_ones()
    {
        using var dir = new TempDir();
        var file = dir.Sub("node.conf");
        File.WriteAllText(file, "akkastream { broker-id = 7, num-partitions = 4 }");
        var config = BrokerConfig.Load(file, ["akkastream.num-partitions=8", "akkastream.topic-defaults.retention-ms = 1000", "akkastream.num-partitions=9",
            "akkastream.producer-id-expiration = 2h"]);
        var settings = BrokerSettings.Create(config);
        Assert.Equal(7, settings.BrokerId);
        Assert.Equal(9, settings.NumPartitions);
        Assert.Equal(1000, settings.TopicDefaults.RetentionMs);
        Assert.Equal(7_200_000, settings.TopicDefaults.ProducerIdExpirationMs);
        Assert.Equal(3, settings.DefaultReplicationFactor); // from reference.conf
    }

    [Theory]
    [InlineData("akkastream.broker-id=abc", "akkastream.broker-id")]
    [InlineData("akkastream.listener.port=70000", "akkastream.listener.port")]
    [InlineData("akkastream.default-replication-factor=0", "akkastream.default-replication-factor")]
    [InlineData("akkastream.topic-defaults.cleanup-policy=never", "akkastream.topic-defaults.cleanup-policy")]
    [InlineData("akkastream.journal.kind=mongo", "akkastream.journal.kind")]
    [InlineData("akkastream.log-maintenance.interval=soon", "akkastream.log-maintenance.interval")]
    [InlineData("no-equals-sign", "no-equals-sign")]
    public void Bad_values_are_refused_naming_the_key(string setting, string key)
    {
        var e = Assert.Throws<BrokerConfigException>(() => BrokerConfig.Load(null, [setting]));
        Assert.Equal(key, e.Key);
        Assert.StartsWith($"--set: {key}: ", e.Message);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        var e = Assert.Throws<BrokerConfigException>(() => BrokerConfig.Load("/no/such/file.conf"));
        Assert.Equal("--config", e.Key);
    }

    [Fact]
    public void The_node_files_parse_and_name_three_brokers_sharing_one_journal()
    {
        var hocon = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "hocon");
        var journals = new HashSet<string>();
        for (var n = 1; n <= 3; n++)
        {
            var settings = BrokerSettings.Create(BrokerConfig.Load(Path.Combine(hocon, $"node-{n}.conf")));
            Assert.Equal(n, settings.BrokerId);
            Assert.Equal(2551 + n, settings.ListenerPort);
            journals.Add(settings.JournalPath);
        }
        Assert.Single(journals);
    }

    [Fact]
    public void The_data_directory_lock_keeps_a_second_holder_out_until_released()
    {
        using var dir = new TempDir();
        var first = DataDirectoryLock.Acquire(dir.Path);
        Assert.Throws<BrokerConfigException>(() => DataDirectoryLock.Acquire(dir.Path));
        first.Dispose();
        DataDirectoryLock.Acquire(dir.Path).Dispose();
    }
}
