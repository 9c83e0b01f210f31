using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Controller;

/// <summary>The error reply of each administration request. Thread-safe (stateless).</summary>
public static class AdminReplies
{
    /// <summary>The reply that tells the sender of <paramref name="request"/> it failed; null for a message that is not a request.</summary>
    public static object? Failed(object request, ErrorCode error, string message) => request switch
    {
        CreateTopicRequest r => new CreateTopicResponse(r.Name, error, message, Guid.Empty),
        DeleteTopicRequest r => new DeleteTopicResponse(r.Name, error, message),
        CreatePartitionsRequest r => new CreatePartitionsResponse(r.Name, error, message),
        AlterConfigsRequest r => new AlterConfigsResponse(r.Name, error, message),
        DescribeConfigsRequest r => new DescribeConfigsResponse(r.Name, error, message, []),
        InitProducerIdRequest => new InitProducerIdResponse(error, message, -1, -1),
        ElectLeadersRequest => new ElectLeadersResponse(error, message, 0),
        AlterPartitionReassignmentsRequest r => new AlterPartitionReassignmentsResponse(r.Topic, r.Partition, error, message),
        ListPartitionReassignmentsRequest => new ListPartitionReassignmentsResponse(error, message, []),
        _ => null,
    };

    /// <summary>The topic an administration request names; null for one that names none.</summary>
    public static string? TopicOf(object request) => request switch
    {
        CreateTopicRequest r => r.Name,
        DeleteTopicRequest r => r.Name,
        CreatePartitionsRequest r => r.Name,
        AlterConfigsRequest r => r.Name,
        DescribeConfigsRequest r => r.Name,
        AlterPartitionReassignmentsRequest r => r.Topic,
        _ => null,
    };

    public static bool IsAdminRequest(object message) =>
        message is CreateTopicRequest or DeleteTopicRequest or CreatePartitionsRequest or AlterConfigsRequest or DescribeConfigsRequest
            or ElectLeadersRequest or InitProducerIdRequest or AlterPartitionReassignmentsRequest or ListPartitionReassignmentsRequest;
}
