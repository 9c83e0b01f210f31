using AkkaStream.Client.Groups.Protocol;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Tests.Groups;

/// <summary>
/// Kafka's ConsumerProtocol: round trips for every version, and byte vectors written out by hand
/// from the schema (ConsumerProtocolSubscription / ConsumerProtocolAssignment, non-flexible,
/// big-endian), so that our bytes are what Kafka clients write and read.
/// </summary>
public sealed class ConsumerProtocolTests
{
    private static readonly ConsumerProtocolSubscription Full = new(
        ["orders", "payments"],
        UserData: [1, 2, 3],
        OwnedPartitions: [new TopicPartition("orders", 2), new TopicPartition("orders", 0), new TopicPartition("payments", 7)],
        GenerationId: 42,
        RackId: "rack-a");

    // version 0 | topics: 1 x "t1" | user_data: null
    private static readonly byte[] SubscriptionV0 = [0, 0, 0, 0, 0, 1, 0, 2, (byte)'t', (byte)'1', 0xFF, 0xFF, 0xFF, 0xFF];

    // ... v1 adds owned_partitions: 1 topic "t1" with partitions [0, 2]
    private static readonly byte[] OwnedT1 = [0, 0, 0, 1, 0, 2, (byte)'t', (byte)'1', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Subscription_round_trips_the_fields_of_its_version(short version)
    {
        var decoded = ConsumerProtocolSubscription.Decode(Full.Encode(version));

        Assert.Equal(Full.Topics, decoded.Topics);
        Assert.Equal(Full.UserData, decoded.UserData);
        Assert.Equal(version >= 1 ? Full.Owned.OrderBy(tp => tp.Topic).ThenBy(tp => tp.Partition) : [], decoded.Owned);
        Assert.Equal(version >= 2 ? 42 : -1, decoded.GenerationId);
        Assert.Equal(version >= 3 ? "rack-a" : null, decoded.RackId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Assignment_round_trips_in_every_version(short version)
    {
        var assignment = new ConsumerProtocolAssignment([new TopicPartition("b", 1), new TopicPartition("a", 3), new TopicPartition("a", 0)], [9, 8]);

        var bytes = assignment.Encode(version);
        var decoded = ConsumerProtocolAssignment.Decode(bytes);

        Assert.Equal(version, (short)(bytes[0] << 8 | bytes[1]));
        Assert.Equal([new TopicPartition("a", 0), new TopicPartition("a", 3), new TopicPartition("b", 1)], decoded.Partitions);
        Assert.Equal(new byte[] { 9, 8 }, decoded.UserData);
    }

    [Fact]
    public void Subscription_bytes_match_the_schema_in_every_version()
    {
        var subscription = new ConsumerProtocolSubscription(["t1"], null, [new TopicPartition("t1", 2), new TopicPartition("t1", 0)], 5, "r");

        Assert.Equal(SubscriptionV0, subscription.Encode(0));
        Assert.Equal(WithVersion(1, SubscriptionV0[2..], OwnedT1), subscription.Encode(1));
        Assert.Equal(WithVersion(2, SubscriptionV0[2..], OwnedT1, [0, 0, 0, 5]), subscription.Encode(2));
        Assert.Equal(WithVersion(3, SubscriptionV0[2..], OwnedT1, [0, 0, 0, 5], [0, 1, (byte)'r']), subscription.Encode(3));
    }

    [Fact]
    public void Subscription_decodes_bytes_written_from_the_schema()
    {
        var v3 = WithVersion(3, SubscriptionV0[2..], OwnedT1, [0, 0, 0, 5], [0xFF, 0xFF]);

        var decoded = ConsumerProtocolSubscription.Decode(v3);

        Assert.Equal(["t1"], decoded.Topics);
        Assert.Null(decoded.UserData);
        Assert.Equal([new TopicPartition("t1", 0), new TopicPartition("t1", 2)], decoded.Owned);
        Assert.Equal(5, decoded.GenerationId);
        Assert.Null(decoded.RackId);
    }

    [Fact]
    public void Assignment_bytes_match_the_schema()
    {
        // version 1 | assigned: 1 topic "t1" with [1] | user_data: 2 bytes 0A 0B
        byte[] expected = [0, 1, 0, 0, 0, 1, 0, 2, (byte)'t', (byte)'1', 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0x0A, 0x0B];

        Assert.Equal(expected, new ConsumerProtocolAssignment([new TopicPartition("t1", 1)], [0x0A, 0x0B]).Encode(1));
        Assert.Equal([new TopicPartition("t1", 1)], ConsumerProtocolAssignment.Decode(expected).Partitions);
    }

    [Fact]
    public void A_newer_version_is_read_as_the_newest_known_one_ignoring_appended_fields()
    {
        var v4 = Full.Encode(3).Concat(new byte[] { 0xAB, 0xCD }).ToArray();
        v4[1] = 4;

        var decoded = ConsumerProtocolSubscription.Decode(v4);

        Assert.Equal(Full.Topics, decoded.Topics);
        Assert.Equal("rack-a", decoded.RackId);
    }

    [Fact]
    public void An_empty_assignment_is_no_partitions()
    {
        Assert.Empty(ConsumerProtocolAssignment.Decode([]).Partitions);
    }

    [Fact]
    public void Every_truncation_of_valid_bytes_is_refused_with_a_clear_error()
    {
        var subscription = Full.Encode(3);
        var assignment = new ConsumerProtocolAssignment([new TopicPartition("t", 1)], [1]).Encode();
        for (var length = 0; length < subscription.Length; length++)
        {
            AssertRefused(() => ConsumerProtocolSubscription.Decode(subscription.AsSpan(0, length)));
        }
        for (var length = 1; length < assignment.Length; length++)
        {
            AssertRefused(() => ConsumerProtocolAssignment.Decode(assignment.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF })]            // version -1
    [InlineData(new byte[] { 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0, 1, (byte)'t' })]             // 2^31-1 topics in 3 bytes
    [InlineData(new byte[] { 0, 0, 0xFF, 0xFF, 0xFF, 0xFE })]                             // negative topic count
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]     // a null topic name
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 1, 0, 2, 0xC3, 0x28, 0xFF, 0xFF, 0xFF, 0xFF })] // a topic name that is not UTF-8
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0 })]                           // user data of negative length
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0 })]                           // user data longer than what is left
    public void Corrupt_subscriptions_are_refused_with_inconsistent_group_protocol(byte[] bytes)
    {
        AssertRefused(() => ConsumerProtocolSubscription.Decode(bytes));
    }

    [Fact]
    public void Random_bytes_never_escape_as_anything_but_a_refusal()
    {
        var random = new Random(20261206);
        var valid = Full.Encode(3);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            try
            {
                ConsumerProtocolSubscription.Decode(bytes);
                ConsumerProtocolAssignment.Decode(bytes);
            }
            catch (AkkaStreamException e)
            {
                Assert.Equal(ErrorCode.InconsistentGroupProtocol, e.Code);
            }
        }
    }

    [Fact]
    public void Encoding_an_unknown_version_is_refused()
    {
        var e = Assert.Throws<AkkaStreamException>(() => Full.Encode(4));
        Assert.Equal(ErrorCode.UnsupportedVersion, e.Code);
    }

    private static void AssertRefused(Action decode)
    {
        var e = Assert.Throws<AkkaStreamException>(decode);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, e.Code);
        Assert.Contains("corrupt consumer protocol", e.Message);
    }

    private static byte[] WithVersion(short version, params byte[][] parts) =>
        new byte[] { (byte)(version >> 8), (byte)version }.Concat(parts.SelectMany(p => p)).ToArray();
}
