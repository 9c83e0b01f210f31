using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// FindCoordinator (10): which broker coordinates a group (or a transactional id, by key type from
/// v1). Flexible from v3; v4 batches keys, which is why the range stops at v3.
/// </summary>
public static class FindCoordinatorApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.FindCoordinator, "0-3", FlexibleFrom: 3,
        Request: Struct("FindCoordinatorRequest",
            String("Key", "0-3"),
            Int8("KeyType", "1+")),
        Response: Struct("FindCoordinatorResponse",
            Int32("ThrottleTimeMs", "1+"),
            Int16("ErrorCode", "0-3"),
            String("ErrorMessage", "1-3", nullable: "1-3", @default: null),
            Int32("NodeId", "0-3"),
            String("Host", "0-3"),
            Int32("Port", "0-3")));
}
