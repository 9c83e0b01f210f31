using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>Heartbeat (12): a member says it is alive and learns whether a rebalance is under way. v3 adds the group instance id; flexible from v4.</summary>
public static class HeartbeatApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.Heartbeat, "0-4", FlexibleFrom: 4,
        Request: Struct("HeartbeatRequest",
            String("GroupId", "0+"),
            Int32("GenerationId", "0+"),
            String("MemberId", "0+"),
            String("GroupInstanceId", "3+", nullable: "3+", @default: null)),
        Response: Struct("HeartbeatResponse",
            Int32("ThrottleTimeMs", "1+"),
            Int16("ErrorCode", "0+")));
}
