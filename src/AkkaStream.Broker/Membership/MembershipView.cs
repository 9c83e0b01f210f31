using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Membership;

/// <summary>
/// Turns one node's view of the Akka cluster (its gossip state, what each member's failure
/// detector sees, the shard regions' statistics) and its metadata into a <see cref="DescribeMembersResponse"/>. Thread-safe (stateless).
/// </summary>
public static class MembershipView
{
    public static DescribeMembersResponse Describe(
        Cluster cluster,
        MetadataSnapshot metadata,
        IReadOnlyDictionary<string, ClusterShardingStats?> regions,
        IReadOnlyDictionary<Address, IReadOnlyList<Address>> observations)
    {
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        var members = state.Members
            .OrderBy(m => m.Address.Host, StringComparer.Ordinal).ThenBy(m => m.Address.Port)
            .Select(m => new ClusterMember(m.Address.ToString(), m.Status.ToString(), m.Roles.Order(StringComparer.Ordinal).ToArray(),
                MemberTarget.BrokerIdOf(m), !unreachable.Contains(m.UniqueAddress), ObserversOf(observations, m.Address)))
            .ToArray();
        var oldest = state.Members
            .Where(m => m.Status == MemberStatus.Up && m.HasRole(BrokerSettings.BrokerRole))
            .OrderBy(m => m, Member.AgeOrdering)
            .FirstOrDefault();
        var controller = state.Members.FirstOrDefault(m => metadata.ControllerId >= 0 && m.HasRole(BrokerSettings.RoleFor(metadata.ControllerId)));
        var (hosting, unanswered) = Hosting(state, regions);
        return new DescribeMembersResponse(ErrorCode.None, null, cluster.SelfAddress.ToString(), state.Leader?.ToString(), oldest?.Address.ToString(),
            metadata.ControllerId, controller?.Address.ToString(), members, hosting, unanswered);
    }

    /// <summary>The members whose failure detectors answered that they see <paramref name="member"/> unreachable.</summary>
    private static string[] ObserversOf(IReadOnlyDictionary<Address, IReadOnlyList<Address>> observations, Address member) =>
        observations.Where(o => o.Value.Contains(member)).Select(o => o.Key.ToString()).Order(StringComparer.Ordinal).ToArray();

    private static (RegionHosting[] Hosting, string[] Unanswered) Hosting(
        ClusterEvent.CurrentClusterState state, IReadOnlyDictionary<string, ClusterShardingStats?> regions)
    {
        var hosting = new List<RegionHosting>();
        var unanswered = new List<string>();
        var brokers = state.Members.Where(m => m.HasRole(BrokerSettings.BrokerRole) && m.Status == MemberStatus.Up).ToArray();
        foreach (var (region, stats) in regions.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var answered = stats?.Regions ?? ImmutableDictionary<Address, ShardRegionStats>.Empty;
            foreach (var broker in brokers.OrderBy(m => MemberTarget.BrokerIdOf(m)))
            {
                if (!answered.TryGetValue(broker.Address, out var regionStats))
                {
                    unanswered.Add($"{region}@{broker.Address}");
                    continue;
                }
                hosting.Add(new RegionHosting(region, broker.Address.ToString(), MemberTarget.BrokerIdOf(broker),
                    regionStats.Stats.Count, regionStats.Stats.Values.Sum()));
            }
        }
        return (hosting.ToArray(), unanswered.ToArray());
    }
}
