using AkkaStream.Client.Groups.Protocol;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Admin;

/// <summary>The partitions a member's assignment bytes give it, for groups that use Kafka's consumer protocol.</summary>
internal static class GroupAssignments
{
    /// <summary>
    /// Decoded partitions; none for another protocol type, an empty assignment (a group between
    /// generations) or bytes that do not decode — describing a group must not fail because one
    /// member sent an assignment it cannot read.
    /// </summary>
    public static IReadOnlyList<TopicPartition> Partitions(string protocolType, byte[] assignment)
    {
        if (protocolType != ConsumerProtocol.ProtocolType || assignment.Length == 0) return [];
        try
        {
            return ConsumerProtocolAssignment.Decode(assignment).Partitions;
        }
        catch (AkkaStreamException)
        {
            return [];
        }
    }
}
