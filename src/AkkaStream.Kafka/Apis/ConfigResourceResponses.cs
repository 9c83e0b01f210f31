using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// The response AlterConfigs and IncrementalAlterConfigs share, field for field: a throttle time
/// and one error per resource. Declared once so the two cannot drift apart.
/// </summary>
internal static class ConfigResourceResponses
{
    public static StructSchema Declare(string name, string resultsField) => Struct(name,
        Int32("ThrottleTimeMs", "0+"),
        Array(resultsField, "0+", Struct("AlterConfigsResourceResponse",
            Int16("ErrorCode", "0+"),
            String("ErrorMessage", "0+", nullable: "0+", @default: null),
            Int8("ResourceType", "0+"),
            String("ResourceName", "0+"))));
}
