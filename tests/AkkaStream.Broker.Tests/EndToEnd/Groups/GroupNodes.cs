using Akka.Configuration;
using AkkaStream.Broker.Tests.Support;

namespace AkkaStream.Broker.Tests.EndToEnd.Groups;

/// <summary>Short group timings for end-to-end group tests, on the broker and on the client.</summary>
internal static class GroupNodes
{
    public static Config Config(TempDir dir) => Nodes.Config(dir.Sub("node"), 1, dir.Sub("cluster.db"), null,
        "akkastream.groups.initial-rebalance-delay = 0s",
        "akkastream.groups.min-session-timeout = 1s");

    public static string[] ClientConfig(string strategy, TimeSpan sessionTimeout, params string[] extra) =>
    [
        "akkastream.client.metadata-max-age = 2s",
        $"akkastream.client.consumer.partition-assignment-strategy = [\"{strategy}\"]",
        $"akkastream.client.consumer.session-timeout = {(int)sessionTimeout.TotalMilliseconds}ms",
        "akkastream.client.consumer.heartbeat-interval = 300ms",
        "akkastream.client.consumer.max-poll-interval = 20s",
        "akkastream.client.consumer.auto-offset-reset = earliest",
        .. extra,
    ];
}
