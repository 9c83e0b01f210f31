using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Groups.Protocol;

/// <summary>
/// A member's subscription as it joins a group (Kafka's ConsumerProtocolSubscription, layout in
/// <see cref="ConsumerProtocol"/>): the topics it wants, the partitions it owns now (v1+, what
/// cooperative assignors keep in place), the generation those were assigned in (v2+, -1 unknown),
/// and its rack (v3+). Immutable.
/// </summary>
public sealed record ConsumerProtocolSubscription(
    IReadOnlyList<string> Topics,
    byte[]? UserData = null,
    IReadOnlyList<TopicPartition>? OwnedPartitions = null,
    int GenerationId = -1,
    string? RackId = null)
{
    public IReadOnlyList<TopicPartition> Owned => OwnedPartitions ?? [];

    /// <summary>Fields a version does not carry are left out (they read back as their defaults).</summary>
    public byte[] Encode(short version = ConsumerProtocol.HighestVersion)
    {
        ConsumerProtocol.CheckVersion(version);
        var writer = new ConsumerProtocolWriter();
        writer.WriteInt16(version);
        writer.WriteArray(Topics, (w, t) => w.WriteNullableString(t));
        writer.WriteNullableBytes(UserData);
        if (version >= 1)
        {
            ConsumerProtocol.WritePartitions(writer, Owned);
        }
        if (version >= 2)
        {
            writer.WriteInt32(GenerationId);
        }
        if (version >= 3)
        {
            writer.WriteNullableString(RackId);
        }
        return writer.ToArray();
    }

    /// <summary>Reads a subscription; corrupt bytes throw an AkkaStreamException (InconsistentGroupProtocol).</summary>
    public static ConsumerProtocolSubscription Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ConsumerProtocolReader(bytes, "consumer protocol subscription");
        var version = ConsumerProtocol.ReadVersion(ref reader);
        var count = reader.ReadArrayCount(2);
        var topics = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            topics.Add(reader.ReadString());
        }
        var userData = reader.ReadNullableBytes();
        var owned = version >= 1 ? ConsumerProtocol.ReadPartitions(ref reader) : [];
        var generation = version >= 2 ? reader.ReadInt32() : -1;
        var rack = version >= 3 ? reader.ReadNullableString() : null;
        return new ConsumerProtocolSubscription(topics, userData, owned, generation, rack);
    }
}
