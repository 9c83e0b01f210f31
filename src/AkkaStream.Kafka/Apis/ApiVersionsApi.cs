using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>ApiVersions (18): which versions of which APIs the broker speaks. Flexible from v3; its response header is always v0.</summary>
public static class ApiVersionsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.ApiVersions, "0-3", FlexibleFrom: 3,
        Request: Struct("ApiVersionsRequest",
            String("ClientSoftwareName", "3+"),
            String("ClientSoftwareVersion", "3+")),
        Response: Struct("ApiVersionsResponse",
            Int16("ErrorCode", "0+"),
            Array("ApiKeys", "0+", Struct("ApiVersion",
                Int16("ApiKey", "0+"),
                Int16("MinVersion", "0+"),
                Int16("MaxVersion", "0+"))),
            Int32("ThrottleTimeMs", "1+"),
            Array("SupportedFeatures", "3+", tag: 0, element: Struct("SupportedFeatureKey",
                String("Name", "3+"),
                Int16("MinVersion", "3+"),
                Int16("MaxVersion", "3+"))),
            Int64("FinalizedFeaturesEpoch", "3+", @default: -1, tag: 1),
            Array("FinalizedFeatures", "3+", tag: 2, element: Struct("FinalizedFeatureKey",
                String("Name", "3+"),
                Int16("MaxVersionLevel", "3+"),
                Int16("MinVersionLevel", "3+"))),
            Boolean("ZkMigrationReady", "3+", tag: 3)));
}
