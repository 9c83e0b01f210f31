namespace AkkaStream.Broker.Configuration;

/// <summary>
/// Settings that are each valid alone but impossible together: a minimum above its maximum, or two
/// listeners on one port. Thread-safe (stateless).
/// </summary>
internal static class SettingPairs
{
    private const string Root = BrokerSettings.Root;

    /// <exception cref="BrokerConfigException">The first impossible pair, named by the key that must change.</exception>
    public static void Check(BrokerSettings settings)
    {
        var kafka = settings.Kafka;
        if (kafka.Enabled && kafka.Port != 0 && kafka.Port == settings.ListenerPort && kafka.Host == settings.ListenerHost)
        {
            throw new BrokerConfigException(Root + ".kafka.port",
                $"expected a port other than akkastream.listener.port (Akka.Remote listens on {settings.ListenerHost}:{settings.ListenerPort}), found {kafka.Port}");
        }
        var replication = settings.Replication;
        if (replication.FetchMinBytes > replication.FetchMaxBytes)
        {
            throw new BrokerConfigException(Root + ".replication.fetch-min-bytes",
                $"expected at most akkastream.replication.fetch-max-bytes ({replication.FetchMaxBytes}), found {replication.FetchMinBytes}");
        }
        var topics = settings.TopicDefaults;
        if (topics.MinCompactionLagMs > topics.MaxCompactionLagMs)
        {
            throw new BrokerConfigException(Root + ".topic-defaults.min-compaction-lag-ms",
                $"expected at most akkastream.topic-defaults.max-compaction-lag-ms ({topics.MaxCompactionLagMs}), found {topics.MinCompactionLagMs}");
        }
    }
}
