using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Admin;

/// <summary>The partitions a member's assignment bytes give it, for groups that use Kafka's consumer protocol.</summary>
internal static class GroupAssignments
{
    public static IReadOnlyList<TopicPartition> Partitions(string protocolType, byte[] assignment) => [];
}
