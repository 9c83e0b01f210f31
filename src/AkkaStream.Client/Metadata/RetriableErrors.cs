using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Metadata;

/// <summary>Which errors a client retries, and which of them mean its metadata is stale (as Kafka's clients decide).</summary>
public static class RetriableErrors
{
    public static bool IsRetriable(ErrorCode error) => error switch
    {
        ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable or ErrorCode.UnknownTopicOrPartition
            or ErrorCode.RequestTimedOut or ErrorCode.NetworkException or ErrorCode.BrokerNotAvailable
            or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend
            or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch or ErrorCode.KafkaStorageError
            or ErrorCode.ReplicaNotAvailable or ErrorCode.CoordinatorLoadInProgress => true,
        _ => false,
    };

    /// <summary>Errors after which the partition's leader must be looked up again before retrying.</summary>
    public static bool InvalidatesMetadata(ErrorCode error) => error switch
    {
        ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable or ErrorCode.UnknownTopicOrPartition
            or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch or ErrorCode.KafkaStorageError
            or ErrorCode.NetworkException or ErrorCode.BrokerNotAvailable or ErrorCode.RequestTimedOut => true,
        _ => false,
    };
}
