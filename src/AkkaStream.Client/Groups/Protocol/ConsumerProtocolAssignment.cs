using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups.Protocol;

/// <summary>
/// One member's assignment as the leader sends it in SyncGroup (Kafka's ConsumerProtocolAssignment,
/// layout in <see cref="ConsumerProtocol"/>; versions 0-3 share one layout). Immutable.
/// </summary>
public sealed record ConsumerProtocolAssignment(IReadOnlyList<TopicPartition> Partitions, byte[]? UserData = null)
{
    public static readonly ConsumerProtocolAssignment Empty = new([]);

    public byte[] Encode(short version = ConsumerProtocol.HighestVersion)
    {
        ConsumerProtocol.CheckVersion(version);
        var writer = new ConsumerProtocolWriter();
        writer.WriteInt16(version);
        ConsumerProtocol.WritePartitions(writer, Partitions);
        writer.WriteNullableBytes(UserData);
        return writer.ToArray();
    }

    /// <summary>
    /// Reads an assignment; an empty byte array (what a coordinator hands a member the leader left
    /// out) is the empty assignment. Corrupt bytes throw an AkkaStreamException (InconsistentGroupProtocol).
    /// </summary>
    public static ConsumerProtocolAssignment Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return Empty;
        }
        var reader = new ConsumerProtocolReader(bytes, "consumer protocol assignment");
        ConsumerProtocol.ReadVersion(ref reader);
        var partitions = ConsumerProtocol.ReadPartitions(ref reader);
        var userData = reader.ReadNullableBytes();
        return new ConsumerProtocolAssignment(partitions, userData);
    }
}
