using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// JoinGroup (11): a member joins a consumer group and, if it is the leader, gets every member's
/// subscription. v1 adds the rebalance timeout, v4 the member-id-required round trip, v5 static
/// membership (group instance id); flexible from v6.
/// </summary>
public static class JoinGroupApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.JoinGroup, "0-6", FlexibleFrom: 6,
        Request: Struct("JoinGroupRequest",
            String("GroupId", "0+"),
            Int32("SessionTimeoutMs", "0+"),
            Int32("RebalanceTimeoutMs", "1+", @default: -1),
            String("MemberId", "0+"),
            String("GroupInstanceId", "5+", nullable: "5+", @default: null),
            String("ProtocolType", "0+"),
            Array("Protocols", "0+", Struct("JoinGroupRequestProtocol",
                String("Name", "0+"),
                Bytes("Metadata", "0+")))),
        Response: Struct("JoinGroupResponse",
            Int32("ThrottleTimeMs", "2+"),
            Int16("ErrorCode", "0+"),
            Int32("GenerationId", "0+", @default: -1),
            String("ProtocolName", "0+"),
            String("Leader", "0+"),
            String("MemberId", "0+"),
            Array("Members", "0+", Struct("JoinGroupResponseMember",
                String("MemberId", "0+"),
                String("GroupInstanceId", "5+", nullable: "5+", @default: null),
                Bytes("Metadata", "0+")))));
}
