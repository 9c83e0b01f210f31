using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>AlterConfigs (33): replace a resource's whole set of settings. Classic in v0-v1 (flexible from v2).</summary>
public static class AlterConfigsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.AlterConfigs, "0-1", FlexibleFrom: 2,
        Request: Struct("AlterConfigsRequest",
            Array("Resources", "0+", Struct("AlterConfigsResource",
                Int8("ResourceType", "0+"),
                String("ResourceName", "0+"),
                Array("Configs", "0+", Struct("AlterableConfig",
                    String("Name", "0+"),
                    String("Value", "0+", nullable: "0+"))))),
            Boolean("ValidateOnly", "0+")),
        Response: ConfigResourceResponses.Declare("AlterConfigsResponse", "Responses"));
}
