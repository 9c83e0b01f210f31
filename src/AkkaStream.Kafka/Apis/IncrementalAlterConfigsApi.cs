using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>IncrementalAlterConfigs (44): set, delete, append to or subtract from single settings (KIP-339). Flexible from v1.</summary>
public static class IncrementalAlterConfigsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.IncrementalAlterConfigs, "0-1", FlexibleFrom: 1,
        Request: Struct("IncrementalAlterConfigsRequest",
            Array("Resources", "0+", Struct("AlterConfigsResource",
                Int8("ResourceType", "0+"),
                String("ResourceName", "0+"),
                Array("Configs", "0+", Struct("AlterableConfig",
                    String("Name", "0+"),
                    Int8("ConfigOperation", "0+"),
                    String("Value", "0+", nullable: "0+"))))),
            Boolean("ValidateOnly", "0+")),
        Response: ConfigResourceResponses.Declare("IncrementalAlterConfigsResponse", "Responses"));
}
