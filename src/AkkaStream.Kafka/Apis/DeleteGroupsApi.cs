using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>DeleteGroups (42): delete empty consumer groups. Flexible from v2.</summary>
public static class DeleteGroupsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.DeleteGroups, "0-2", FlexibleFrom: 2,
        Request: Struct("DeleteGroupsRequest",
            Array("GroupsNames", "0+", FieldType.String)),
        Response: Struct("DeleteGroupsResponse",
            Int32("ThrottleTimeMs", "0+"),
            Array("Results", "0+", Struct("DeletableGroupResult",
                String("GroupId", "0+"),
                Int16("ErrorCode", "0+")))));
}
