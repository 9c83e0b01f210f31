using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// DescribeConfigs (32): topic and broker settings. v1 adds synonyms and each value's source, v3
/// the value type and documentation (KIP-569); flexible from v4.
/// </summary>
public static class DescribeConfigsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.DescribeConfigs, "0-4", FlexibleFrom: 4,
        Request: Struct("DescribeConfigsRequest",
            Array("Resources", "0+", Struct("DescribeConfigsResource",
                Int8("ResourceType", "0+"),
                String("ResourceName", "0+"),
                Array("ConfigurationKeys", "0+", FieldType.String, nullable: "0+"))),
            Boolean("IncludeSynonyms", "1+"),
            Boolean("IncludeDocumentation", "3+")),
        Response: Struct("DescribeConfigsResponse",
            Int32("ThrottleTimeMs", "0+"),
            Array("Results", "0+", Struct("DescribeConfigsResult",
                Int16("ErrorCode", "0+"),
                String("ErrorMessage", "0+", nullable: "0+", @default: null),
                Int8("ResourceType", "0+"),
                String("ResourceName", "0+"),
                Array("Configs", "0+", Struct("DescribeConfigsResourceResult",
                    String("Name", "0+"),
                    String("Value", "0+", nullable: "0+"),
                    Boolean("ReadOnly", "0+"),
                    Boolean("IsDefault", "0"),
                    Int8("ConfigSource", "1+", @default: -1),
                    Boolean("IsSensitive", "0+"),
                    Array("Synonyms", "1+", Struct("DescribeConfigsSynonym",
                        String("Name", "1+"),
                        String("Value", "1+", nullable: "0+"),
                        Int8("Source", "1+"))),
                    Int8("ConfigType", "3+"),
                    String("Documentation", "3+", nullable: "0+")))))));
}
