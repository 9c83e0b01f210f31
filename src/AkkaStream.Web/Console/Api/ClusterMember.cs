using Akka.Cluster;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Hosting;

namespace AkkaStream.Web.Console.Api;

/// <summary>A cluster member as this broker's cluster state sees it, and where its HTTP listener is (null: it publishes none).</summary>
internal sealed record ClusterMember(Member Member, int? BrokerId, bool Reachable, Uri? Http)
{
    /// <summary>Every member of <paramref name="node"/>'s cluster, ordered by broker id.</summary>
    public static IReadOnlyList<ClusterMember> Of(BrokerNode node)
    {
        var state = node.Cluster.State;
        return state.Members
            .Select(m => new ClusterMember(m, ControllerActor.BrokerIdOf(m), !state.Unreachable.Contains(m),
                HttpListenerOptions.TryParseRole(m.Roles, out var host, out var port) ? new UriBuilder("http", host, port).Uri : null))
            .OrderBy(m => m.BrokerId ?? int.MaxValue)
            .ToArray();
    }

    /// <summary>Whether other brokers' listeners are worth asking: up and reachable, with a listener.</summary>
    public bool IsServing => Reachable && Http is not null && Member.Status == MemberStatus.Up;
}
