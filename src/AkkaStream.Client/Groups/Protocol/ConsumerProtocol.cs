using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups.Protocol;

/// <summary>
/// Kafka's ConsumerProtocol: what consumers put in JoinGroup (a <see cref="ConsumerProtocolSubscription"/>
/// per assignor) and SyncGroup (a <see cref="ConsumerProtocolAssignment"/> per member). The group
/// coordinator keeps these bytes without reading them, so actor-client consumers, Kafka clients and
/// the CLI's describe share one format. Each message is a big-endian int16 version followed by the
/// version's fields, none flexible (no tagged fields):
/// <code>
/// TopicPartition  := topic string(int16 length), partitions [int32](int32 count)
/// Subscription v0 := version int16, topics [string], user_data nullable bytes(int32 length)
///              v1 += owned_partitions [TopicPartition]
///              v2 += generation_id int32
///              v3 += rack_id nullable string
/// Assignment v0-3 := version int16, assigned_partitions [TopicPartition], user_data nullable bytes
/// </code>
/// A reader takes a version newer than it knows as its newest one (later versions only append
/// fields), as Kafka's own consumers do.
/// </summary>
public static class ConsumerProtocol
{
    /// <summary>The protocol type consumers join with.</summary>
    public const string ProtocolType = "consumer";

    public const short HighestVersion = 3;

    /// <summary>The fewest bytes a TopicPartition entry can take: an empty topic and no partitions.</summary>
    internal const int MinTopicPartitionsSize = 2 + 4;

    internal static short ReadVersion(ref ConsumerProtocolReader reader)
    {
        var version = reader.ReadInt16();
        if (version < 0)
        {
            throw reader.Corrupt($"version {version}");
        }
        return Math.Min(version, HighestVersion);
    }

    internal static void CheckVersion(short version)
    {
        if (version is < 0 or > HighestVersion)
        {
            throw new AkkaStreamException(ErrorCode.UnsupportedVersion, $"ConsumerProtocol version {version} is not one of 0-{HighestVersion}");
        }
    }

    /// <summary>Writes partitions grouped by topic, topics and partitions in ascending order.</summary>
    internal static void WritePartitions(ConsumerProtocolWriter writer, IEnumerable<TopicPartition> partitions)
    {
        var byTopic = partitions
            .GroupBy(tp => tp.Topic, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Topic: g.Key, Partitions: g.Select(tp => tp.Partition).Order().ToArray()))
            .ToList();
        writer.WriteArray(byTopic, (w, t) =>
        {
            w.WriteNullableString(t.Topic);
            w.WriteArray(t.Partitions, (w2, p) => w2.WriteInt32(p));
        });
    }

    internal static List<TopicPartition> ReadPartitions(ref ConsumerProtocolReader reader)
    {
        var result = new List<TopicPartition>();
        var topics = reader.ReadArrayCount(MinTopicPartitionsSize);
        for (var t = 0; t < topics; t++)
        {
            var topic = reader.ReadString();
            var partitions = reader.ReadArrayCount(4);
            for (var p = 0; p < partitions; p++)
            {
                result.Add(new TopicPartition(topic, reader.ReadInt32()));
            }
        }
        return result;
    }
}
