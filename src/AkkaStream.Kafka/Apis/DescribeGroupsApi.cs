using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>DescribeGroups (15): state, protocol and members of groups. v3 adds authorized operations, v4 members' group instance ids; flexible from v5.</summary>
public static class DescribeGroupsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.DescribeGroups, "0-5", FlexibleFrom: 5,
        Request: Struct("DescribeGroupsRequest",
            Array("Groups", "0+", FieldType.String),
            Boolean("IncludeAuthorizedOperations", "3+")),
        Response: Struct("DescribeGroupsResponse",
            Int32("ThrottleTimeMs", "1+"),
            Array("Groups", "0+", Struct("DescribedGroup",
                Int16("ErrorCode", "0+"),
                String("GroupId", "0+"),
                String("GroupState", "0+"),
                String("ProtocolType", "0+"),
                String("ProtocolData", "0+"),
                Array("Members", "0+", Struct("DescribedGroupMember",
                    String("MemberId", "0+"),
                    String("GroupInstanceId", "4+", nullable: "4+", @default: null),
                    String("ClientId", "0+"),
                    String("ClientHost", "0+"),
                    Bytes("MemberMetadata", "0+"),
                    Bytes("MemberAssignment", "0+"))),
                Int32("AuthorizedOperations", "3+", @default: int.MinValue)))));
}
