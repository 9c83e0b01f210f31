using Akka.Cluster;

namespace AkkaStream.Broker.Hosting;

/// <summary>One readiness condition: its name, whether it holds, and what was seen.</summary>
public sealed record ReadinessCheck(string Name, bool Passed, string Detail);

/// <summary>
/// Whether a broker is ready to serve: its logs are recovered (the log manager opens and recovers
/// every local log before the node starts, so a running node has them), it is an Up member of the
/// cluster, and it holds metadata from the controller that names it. The health endpoint and
/// Akka.Management's readiness both ask this. Thread-safe (reads snapshots).
/// </summary>
public static class BrokerReadiness
{
    public static IReadOnlyList<ReadinessCheck> Check(BrokerNode node)
    {
        var self = node.Cluster.SelfMember;
        var metadata = node.Metadata.Current;
        var known = metadata.Brokers.Any(b => b.BrokerId == node.Settings.BrokerId);
        return
        [
            new ReadinessCheck("logs", true, $"{node.Logs.Partitions.Count} local logs recovered"),
            new ReadinessCheck("cluster", self.Status == MemberStatus.Up, $"member {self.Status}"),
            new ReadinessCheck("metadata", metadata.Version > 0 && known,
                metadata.Version == 0 ? "no metadata from the controller yet"
                : known ? $"version {metadata.Version} from controller {metadata.ControllerId}"
                : $"version {metadata.Version} does not list broker {node.Settings.BrokerId} yet"),
        ];
    }

    public static bool IsReady(BrokerNode node) =>
        !node.System.WhenTerminated.IsCompleted && Check(node).All(c => c.Passed);
}
