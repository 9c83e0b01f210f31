using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Asks any broker for the Akka cluster as it sees it: every member, the leader, the oldest
/// member, where the controller runs, and what each node hosts of the sharded entities.
/// </summary>
public sealed record DescribeMembersRequest : IControlMessage
{
    public static readonly DescribeMembersRequest Instance = new();
}

/// <param name="Observer">The address of the broker that answered (its view of the cluster).</param>
/// <param name="Leader">The Akka cluster leader's address (it moves members Joining to Up and Exiting to Removed); null while there is none.</param>
/// <param name="Oldest">The oldest Up broker's address: where cluster singletons run.</param>
/// <param name="ControllerId">The broker the controller singleton runs on, as the metadata names it; -1 until known.</param>
/// <param name="ControllerAddress">That broker's address; null until known.</param>
/// <param name="Regions">One row per shard region and node hosting any of its shards.</param>
/// <param name="UnansweredRegions">Nodes whose shard regions did not answer in time, as <c>region@address</c>.</param>
public sealed record DescribeMembersResponse(
    ErrorCode Error,
    string? ErrorMessage,
    string Observer,
    string? Leader,
    string? Oldest,
    int ControllerId,
    string? ControllerAddress,
    IReadOnlyList<ClusterMember> Members,
    IReadOnlyList<RegionHosting> Regions,
    IReadOnlyList<string> UnansweredRegions) : IControlMessage, IErrorReply
{
    // Copied into arrays: a caller's collection may be of a type the remote serializer refuses.
    public IReadOnlyList<ClusterMember> Members { get; init; } = Members.ToArray();

    public IReadOnlyList<RegionHosting> Regions { get; init; } = Regions.ToArray();

    public IReadOnlyList<string> UnansweredRegions { get; init; } = UnansweredRegions.ToArray();
}

/// <summary>One member of the Akka cluster.</summary>
/// <param name="Status">Akka's member status: Joining, WeaklyUp, Up, Leaving, Exiting, Down, Removed.</param>
/// <param name="BrokerId">From the member's <c>broker-id-N</c> role; -1 for a member that is not a broker (a client node).</param>
/// <param name="UnreachableFrom">The members whose failure detectors see this one unreachable; empty when reachable.</param>
public sealed record ClusterMember(
    string Address,
    string Status,
    IReadOnlyList<string> Roles,
    int BrokerId,
    bool Reachable,
    IReadOnlyList<string> UnreachableFrom)
{
    // Copied into arrays: a caller's collection may be of a type the remote serializer refuses.
    public IReadOnlyList<string> Roles { get; init; } = Roles.ToArray();

    public IReadOnlyList<string> UnreachableFrom { get; init; } = UnreachableFrom.ToArray();
}

/// <summary>What one node hosts of one shard region (Akka's ShardRegionStats for that node).</summary>
/// <param name="Region">The entity type: <c>partition</c> (partition leaders) or <c>group</c> (group coordinators).</param>
public sealed record RegionHosting(string Region, string Address, int BrokerId, int Shards, int Entities);

/// <summary>Makes a member leave the cluster gracefully: its shards hand off, its singletons move, then it is removed and stops.</summary>
/// <param name="Member">A broker id, or a member's address (<c>akka.tcp://akkastream@host:port</c> or <c>host:port</c>).</param>
public sealed record LeaveMemberRequest(string Member) : IControlMessage;

/// <summary>
/// Marks a member Down, so that the cluster removes it without its cooperation: for a member that
/// crashed and stays unreachable. A reachable member is refused unless <paramref name="Force"/>
/// (it would be cut off while still serving: use leave for it).
/// </summary>
public sealed record DownMemberRequest(string Member, bool Force = false) : IControlMessage;

/// <param name="Address">The member's address; empty when none matched.</param>
public sealed record MemberChangeResponse(string Member, string Address, ErrorCode Error, string? ErrorMessage) : IControlMessage, IErrorReply;
