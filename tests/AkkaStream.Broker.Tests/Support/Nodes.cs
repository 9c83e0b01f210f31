using Akka.Configuration;
using AkkaStream.Broker.Configuration;

namespace AkkaStream.Broker.Tests.Support;

/// <summary>Configurations for brokers in tests: free ports, short failure-detection times, one shared journal file.</summary>
public static class Nodes
{
    /// <summary>
    /// Replication timings for replicated tests: an idle follower's fetch is answered within 200 ms
    /// and a failed one retried after 100 ms, and leaders checkpoint their high watermark every 200 ms.
    /// </summary>
    public static readonly string[] QuickReplication =
    [
        "akkastream.replication.fetch-wait-max = 200ms",
        "akkastream.replication.fetch-backoff = 100ms",
        "akkastream.replication.high-watermark-checkpoint-interval = 200ms",
    ];

    public static Config Config(string dataDir, int brokerId, string journal, string? seed = null, params string[] extra)
    {
        var overrides = new List<string>
        {
            $"akkastream.broker-id = {brokerId}",
            $"akkastream.data-dir = \"{dataDir}\"",
            "akkastream.listener.port = 0",
            $"akkastream.journal.sqlite-path = \"{journal}\"",
            "akkastream.default-replication-factor = 1",
            "akkastream.metadata-refresh-interval = 300ms",
            "akkastream.admin-timeout = 10s",
            "akka.loglevel = WARNING",
            "akka.cluster.split-brain-resolver.stable-after = 2s",
            "akka.cluster.down-removal-margin = 1s",
            "akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s",
            "akka.cluster.min-nr-of-members = 1",
        };
        if (seed is not null) overrides.Add($"akka.cluster.seed-nodes = [\"{seed}\"]");
        overrides.AddRange(extra);
        return BrokerConfig.FromText("", overrides);
    }
}
