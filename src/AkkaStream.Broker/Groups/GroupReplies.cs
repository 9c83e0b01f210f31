using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Groups;

/// <summary>The error answer to each group request, for the coordinator and the gateway. Thread-safe (stateless).</summary>
public static class GroupReplies
{
    public static object Failed(object request, ErrorCode error, string message) => request switch
    {
        JoinGroupRequest r => JoinFailed(r.MemberId, error, message),
        SyncGroupRequest => SyncFailed(error, message),
        HeartbeatRequest => new HeartbeatResponse(error, message),
        LeaveGroupRequest r => new LeaveGroupResponse(error, message, r.Members.Select(m => new LeftMember(m.MemberId, m.GroupInstanceId, error)).ToList()),
        OffsetCommitRequest r => CommitFailed(r, error, message),
        OffsetFetchRequest => new OffsetFetchResponse(error, message, []),
        DescribeGroupRequest r => new DescribeGroupResponse(r.GroupId, error, message, "", "", "", []),
        DeleteGroupRequest r => new DeleteGroupResponse(r.GroupId, error, message),
        FindCoordinatorRequest r => new FindCoordinatorResponse(r.GroupId, error, message, -1),
        ListGroupsRequest => new ListGroupsResponse(error, message, []),
        _ => throw new ArgumentException($"{request.GetType().Name} is not a group request", nameof(request)),
    };

    public static JoinGroupResponse JoinFailed(string memberId, ErrorCode error, string message) =>
        new(error, message, -1, null, null, "", memberId, []);

    public static SyncGroupResponse SyncFailed(ErrorCode error, string message) => new(error, message, null, null, []);

    public static OffsetCommitResponse CommitFailed(OffsetCommitRequest request, ErrorCode error, string message) =>
        new(error, message, request.Partitions.Select(p => new OffsetCommitPartitionResult(p.Topic, p.Partition, error)).ToList());
}
