using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>ListGroups (16): the groups a broker coordinates. Flexible from v3; v4 filters by state and returns each group's state.</summary>
public static class ListGroupsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.ListGroups, "0-4", FlexibleFrom: 3,
        Request: Struct("ListGroupsRequest",
            Array("StatesFilter", "4+", FieldType.String)),
        Response: Struct("ListGroupsResponse",
            Int32("ThrottleTimeMs", "1+"),
            Int16("ErrorCode", "0+"),
            Array("Groups", "0+", Struct("ListedGroup",
                String("GroupId", "0+"),
                String("ProtocolType", "0+"),
                String("GroupState", "4+")))));
}
