using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Partitions;

/// <summary>The error reply of each partition request, so that every refusal reaches the client in the shape it expects. Thread-safe (stateless).</summary>
public static class PartitionReplies
{
    public static object? Failed(object request, ErrorCode error, string message) => request switch
    {
        ProduceRequest r => ProduceResponse.Failed(r.Topic, r.Partition, error, message),
        FetchRequest r => FetchResponse.Failed(r.Topic, r.Partition, error, message),
        ListOffsetsRequest r => new ListOffsetsResponse(r.Topic, r.Partition, error, message, -1, -1),
        DeleteRecordsRequest r => new DeleteRecordsResponse(r.Topic, r.Partition, error, message, -1),
        OffsetForLeaderEpochRequest r => new OffsetForLeaderEpochResponse(r.Topic, r.Partition, error, message, -1, -1),
        PartitionEntity.ReplicaFetch r => new PartitionEntity.ReplicaFetched(r.Round, Replication.ReplicaPartitionData.Failed(r.Fetch.Partition, error, message)),
        _ => null,
    };

    /// <summary>The topic and partition a request is for; null for any other message.</summary>
    public static (string Topic, int Partition)? Target(object request) => request switch
    {
        ProduceRequest r => (r.Topic, r.Partition),
        FetchRequest r => (r.Topic, r.Partition),
        ListOffsetsRequest r => (r.Topic, r.Partition),
        DeleteRecordsRequest r => (r.Topic, r.Partition),
        OffsetForLeaderEpochRequest r => (r.Topic, r.Partition),
        _ => null,
    };
}
