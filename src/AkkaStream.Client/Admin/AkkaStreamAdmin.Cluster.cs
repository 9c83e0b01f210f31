using AkkaStream.Protocol.Messages;

namespace AkkaStream.Client.Admin;

// The Akka cluster's membership (akkastream cluster members|leave|down): any broker answers.
public sealed partial class AkkaStreamAdmin
{
    /// <summary>Every member of the Akka cluster with its status, roles and reachability, the leader, the oldest member, the controller, and what each node hosts of the shard regions.</summary>
    public Task<DescribeMembersResponse> DescribeMembersAsync(CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<DescribeMembersResponse>(DescribeMembersRequest.Instance, cancellationToken);

    /// <summary>Makes a member (a broker id or an address) leave gracefully; returns once the cluster has been told, not once it has left.</summary>
    public Task<MemberChangeResponse> LeaveMemberAsync(string member, CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<MemberChangeResponse>(new LeaveMemberRequest(member), cancellationToken);

    /// <summary>Downs an unreachable member (a broker id or an address); a reachable one is refused (InvalidRequest) unless <paramref name="force"/>.</summary>
    public Task<MemberChangeResponse> DownMemberAsync(string member, bool force = false, CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<MemberChangeResponse>(new DownMemberRequest(member, force), cancellationToken);
}
