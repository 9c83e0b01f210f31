using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>SyncGroup (14): the leader hands out assignments and every member receives its own. v3 adds the group instance id; flexible from v4.</summary>
public static class SyncGroupApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.SyncGroup, "0-4", FlexibleFrom: 4,
        Request: Struct("SyncGroupRequest",
            String("GroupId", "0+"),
            Int32("GenerationId", "0+"),
            String("MemberId", "0+"),
            String("GroupInstanceId", "3+", nullable: "3+", @default: null),
            Array("Assignments", "0+", Struct("SyncGroupRequestAssignment",
                String("MemberId", "0+"),
                Bytes("Assignment", "0+")))),
        Response: Struct("SyncGroupResponse",
            Int32("ThrottleTimeMs", "1+"),
            Int16("ErrorCode", "0+"),
            Bytes("Assignment", "0+")));
}
