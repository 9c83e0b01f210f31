using System.Globalization;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Cli.Formatting;

/// <summary>
/// The text of <c>cluster members</c> and the Akka part of <c>cluster status</c>: one row per
/// member, and one row per shard region and node with its shard and entity counts. Pure.
/// </summary>
public static class MembersDescription
{
    private const string PartitionRegion = "partition";
    private const string GroupRegion = "group";

    /// <summary>One row per member: broker id, address, status, reachability (and who sees it unreachable), hosted entities, roles.</summary>
    public static IEnumerable<string> MemberLines(DescribeMembersResponse members) =>
        TextTable.Lines(["BROKER", "ADDRESS", "STATUS", "REACHABILITY", "PARTITIONS", "GROUPS", "ROLES"],
            members.Members.OrderBy(m => m.BrokerId).ThenBy(m => m.Address, StringComparer.Ordinal).Select(m => (IReadOnlyList<string>)
            [
                m.BrokerId < 0 ? "-" : Number(m.BrokerId),
                m.Address + Markers(members, m.Address),
                m.Status,
                Reachability(members, m),
                Entities(members, PartitionRegion, m.Address),
                Entities(members, GroupRegion, m.Address),
                string.Join(",", m.Roles),
            ]));

    /// <summary>The leader, the oldest member, the controller, then what each node hosts of each shard region.</summary>
    public static IEnumerable<string> StatusLines(DescribeMembersResponse members)
    {
        yield return $"Members: {Number(members.Members.Count)} ({Count(members, "Up")} Up, {Number(members.Members.Count(m => !m.Reachable))} unreachable)";
        yield return $"Leader: {members.Leader ?? "none"}";
        yield return $"Oldest: {members.Oldest ?? "none"}";
        yield return members.ControllerId < 0
            ? "Controller location: unknown"
            : $"Controller location: broker {Number(members.ControllerId)} at {members.ControllerAddress ?? "an address not among the members"}";
        foreach (var line in TextTable.Lines(["REGION", "BROKER", "ADDRESS", "SHARDS", "ENTITIES"],
            members.Regions.Select(r => (IReadOnlyList<string>)[r.Region, Number(r.BrokerId), r.Address, Number(r.Shards), Number(r.Entities)])))
        {
            yield return line;
        }
        foreach (var region in members.UnansweredRegions)
        {
            yield return $"No statistics from {region} (it did not answer in time)";
        }
    }

    /// <summary>Which of the roles a member plays that operators look for: the Akka leader, the oldest member, the controller.</summary>
    private static string Markers(DescribeMembersResponse members, string address)
    {
        var marks = new List<string>(3);
        if (address == members.Leader) marks.Add("leader");
        if (address == members.Oldest) marks.Add("oldest");
        if (address == members.ControllerAddress) marks.Add("controller");
        return marks.Count == 0 ? "" : $" ({string.Join(", ", marks)})";
    }

    private static string Reachability(DescribeMembersResponse members, ClusterMember member)
    {
        if (member.Reachable && member.UnreachableFrom.Count == 0) return "reachable";
        var observers = member.UnreachableFrom.Select(o => Name(members, o)).ToArray();
        return observers.Length == 0 ? "unreachable" : $"unreachable from {string.Join(",", observers)}";
    }

    /// <summary>A member as operators call it: its broker id when it has one, otherwise its address.</summary>
    private static string Name(DescribeMembersResponse members, string address) =>
        members.Members.FirstOrDefault(m => m.Address == address) is { BrokerId: >= 0 } member ? Number(member.BrokerId) : address;

    private static string Entities(DescribeMembersResponse members, string region, string address) =>
        members.Regions.FirstOrDefault(r => r.Region == region && r.Address == address) is { } hosting ? Number(hosting.Entities) : "-";

    private static string Count(DescribeMembersResponse members, string status) => Number(members.Members.Count(m => m.Status == status));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
