using AkkaStream.Kafka.Protocol.Schema;
using static AkkaStream.Kafka.Protocol.Schema.Field;

namespace AkkaStream.Kafka.Apis;

/// <summary>InitProducerId (22): a producer id and epoch for idempotent and transactional producers. Flexible from v2; v3 lets a producer resume its id.</summary>
public static class InitProducerIdApi
{
    public static readonly ApiDeclaration Declaration = new(ApiKey.InitProducerId, "0-3", FlexibleFrom: 2,
        Request: Struct("InitProducerIdRequest",
            String("TransactionalId", "0+", nullable: "0+", @default: null),
            Int32("TransactionTimeoutMs", "0+"),
            Int64("ProducerId", "3+", @default: -1),
            Int16("ProducerEpoch", "3+", @default: -1)),
        Response: Struct("InitProducerIdResponse",
            Int32("ThrottleTimeMs", "0+"),
            Int16("ErrorCode", "0+"),
            Int64("ProducerId", "0+", @default: -1),
            Int16("ProducerEpoch", "0+")));
}
