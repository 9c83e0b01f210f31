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
        var remote = new Listener("listener.port", "Akka.Remote", true, settings.ListenerHost, settings.ListenerPort);
        var kafka = new Listener("kafka.port", "the Kafka listener", settings.Kafka.Enabled, settings.Kafka.Host, settings.Kafka.Port);
        var http = new Listener("http.port", "the HTTP listener", settings.Http.Enabled, settings.Http.Host, settings.Http.Port);
        EnsureApart(kafka, remote);
        EnsureApart(http, remote);
        EnsureApart(http, kafka);
        var replication = settings.Replication;
        EnsureAtMost("replication.fetch-min-bytes", replication.FetchMinBytes, "replication.fetch-max-bytes", replication.FetchMaxBytes);
        var topics = settings.TopicDefaults;
        EnsureAtMost("topic-defaults.min-compaction-lag-ms", topics.MinCompactionLagMs, "topic-defaults.max-compaction-lag-ms", topics.MaxCompactionLagMs);
    }

    private sealed record Listener(string Key, string Name, bool Enabled, string Host, int Port);

    /// <summary>Port 0 picks a free port, so only two fixed, equal ports on one host collide.</summary>
    private static void EnsureApart(Listener listener, Listener other)
    {
        if (listener.Enabled && other.Enabled && listener.Port != 0 && listener.Port == other.Port && listener.Host == other.Host)
        {
            throw new BrokerConfigException($"{Root}.{listener.Key}",
                $"expected a port other than {Root}.{other.Key} ({other.Name} is on {other.Host}:{other.Port}), found {listener.Port}");
        }
    }

    private static void EnsureAtMost(string key, long value, string maxKey, long max)
    {
        if (value > max)
        {
            throw new BrokerConfigException($"{Root}.{key}", $"expected at most {Root}.{maxKey} ({max}), found {value}");
        }
    }
}
