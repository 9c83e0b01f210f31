using System.Globalization;
using AkkaStream.Client.Admin;
using AkkaStream.Records.Ids;

namespace AkkaStream.Cli.Formatting;

/// <summary>
/// The text of <c>groups describe</c> and <c>groups reset-offsets</c>, laid out as Kafka's
/// <c>kafka-consumer-groups</c>: a state line, then a table per partition (or per member), "-" where
/// there is no value. Pure.
/// </summary>
public static class GroupDescription
{
    public static string StateLine(ConsumerGroupDescription group)
    {
        var protocol = group.ProtocolName.Length == 0 ? group.ProtocolType : $"{group.ProtocolType}/{group.ProtocolName}";
        return $"Group: {group.GroupId}\tState: {group.State}\tProtocol: {(protocol.Length == 0 ? "-" : protocol)}\tMembers: {Number(group.Members.Count)}";
    }

    /// <summary>One row per partition: committed offset, log end offset, lag and the member assigned it.</summary>
    public static IEnumerable<string> Offsets(ConsumerGroupDescription group) =>
        TextTable.Lines(["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID"],
            group.Partitions.Select(p => (IReadOnlyList<string>)
            [
                group.GroupId, p.Partition.Topic, Number(p.Partition.Partition), Number(p.CommittedOffset), Number(p.LogEndOffset),
                Number(p.Lag), p.MemberId ?? "-",
            ]));

    /// <summary>One row per member: its ids, the host and client id it joined with, and its assigned partitions.</summary>
    public static IEnumerable<string> Members(ConsumerGroupDescription group) =>
        TextTable.Lines(["GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT"],
            group.Members.OrderBy(m => m.MemberId, StringComparer.Ordinal).Select(m => (IReadOnlyList<string>)
            [
                group.GroupId, m.MemberId, m.GroupInstanceId ?? "-", Text(m.ClientHost), Text(m.ClientId), Number(m.Assigned.Count), Assignment(m.Assigned),
            ]));

    /// <summary>One row per partition of a reset: the offset before and the one after.</summary>
    public static IEnumerable<string> Plan(string groupId, IReadOnlyList<PlannedOffset> plan) =>
        TextTable.Lines(["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET"],
            plan.Select(p => (IReadOnlyList<string>)
            [
                groupId, p.Partition.Topic, Number(p.Partition.Partition), Number(p.CurrentOffset), Number(p.NewOffset),
            ]));

    /// <summary>Kafka's layout of an assignment: <c>topic(0,1),other(2)</c>, "-" when empty.</summary>
    private static string Assignment(IReadOnlyList<TopicPartition> partitions) =>
        partitions.Count == 0
            ? "-"
            : string.Join(',', partitions.Order().GroupBy(tp => tp.Topic).Select(g => $"{g.Key}({string.Join(',', g.Select(tp => Number(tp.Partition)))})"));

    private static string Text(string value) => value.Length == 0 ? "-" : value;

    private static string Number(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";
}
