using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// DeleteTopics (20): delete topics by name. Flexible from v4; v5 adds an error message per topic.
/// v6 addresses topics by id, so the range stops at v5.
/// </summary>
public static class DeleteTopicsApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.DeleteTopics, "0-5", FlexibleFrom: 4,
        Request: Struct("DeleteTopicsRequest",
            Array("TopicNames", "0-5", FieldType.String),
            Int32("TimeoutMs", "0+")),
        Response: Struct("DeleteTopicsResponse",
            Int32("ThrottleTimeMs", "1+"),
            Array("Responses", "0+", Struct("DeletableTopicResult",
                String("Name", "0+"),
                Int16("ErrorCode", "0+"),
                String("ErrorMessage", "5+", nullable: "5+", @default: null)))));
}
