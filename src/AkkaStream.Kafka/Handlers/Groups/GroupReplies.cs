using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// The reply a group request gets when the coordinator cannot give one (it did not answer in
/// time): the request's own response type carrying the error, so that a handler maps failures and
/// answers through one path. Stateless.
/// </summary>
internal static class GroupReplies
{
    public static object Failed(object request, ErrorCode error, string message) => request switch
    {
        JoinGroupRequest join => new JoinGroupResponse(error, message, -1, null, null, "", join.MemberId, []),
        SyncGroupRequest => new SyncGroupResponse(error, message, null, null, []),
        HeartbeatRequest => new HeartbeatResponse(error, message),
        LeaveGroupRequest => new LeaveGroupResponse(error, message, []),
        OffsetCommitRequest => new OffsetCommitResponse(error, message, []),
        OffsetFetchRequest => new OffsetFetchResponse(error, message, []),
        ListGroupsRequest => new ListGroupsResponse(error, message, []),
        DescribeGroupRequest describe => new DescribeGroupResponse(describe.GroupId, error, message, "", "", "", []),
        DeleteGroupRequest delete => new DeleteGroupResponse(delete.GroupId, error, message),
        FindCoordinatorRequest find => new FindCoordinatorResponse(find.GroupId, error, message, -1),
        _ => throw new ArgumentException($"{request.GetType().Name} is not a group request", nameof(request)),
    };
}
