using AkkaStream.Client;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Cli.Hosting;

/// <summary>
/// Checks a topic (and partition) before records flow, so that <c>produce</c> and <c>consume</c> fail
/// at once with UnknownTopicOrPartition, or RequestTimedOut when no broker answers, instead of
/// after the producer's delivery timeout.
/// </summary>
public static class TopicLookup
{
    /// <summary>The partitions to use: every partition of <paramref name="topic"/>, or only <paramref name="partition"/> when it exists.</summary>
    public static async Task<IReadOnlyList<TopicPartition>> PartitionsAsync(AkkaStreamClient client, string topic, int? partition, CancellationToken ct)
    {
        var metadata = (await client.Admin.DescribeTopicsAsync([topic], ct).ConfigureAwait(false))[0];
        if (partition is { } one)
        {
            return metadata.Partitions.Any(p => p.Partition == one)
                ? [new TopicPartition(topic, one)]
                : throw new AkkaStreamException(ErrorCode.UnknownTopicOrPartition, $"topic {topic} has no partition {one}");
        }
        return metadata.Partitions.OrderBy(p => p.Partition).Select(p => new TopicPartition(topic, p.Partition)).ToArray();
    }
}
