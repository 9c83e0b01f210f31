using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>LeaveGroup (13): members leave a group. v3 turns the single member id into a batch of member identities; flexible from v4.</summary>
public static class LeaveGroupApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.LeaveGroup, "0-4", FlexibleFrom: 4,
        Request: Struct("LeaveGroupRequest",
            String("GroupId", "0+"),
            String("MemberId", "0-2"),
            Array("Members", "3+", Struct("MemberIdentity",
                String("MemberId", "3+"),
                String("GroupInstanceId", "3+", nullable: "3+", @default: null)))),
        Response: Struct("LeaveGroupResponse",
            Int32("ThrottleTimeMs", "1+"),
            Int16("ErrorCode", "0+"),
            Array("Members", "3+", Struct("MemberResponse",
                String("MemberId", "3+"),
                String("GroupInstanceId", "3+", nullable: "3+", @default: null),
                Int16("ErrorCode", "3+")))));
}
