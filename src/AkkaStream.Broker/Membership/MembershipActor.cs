using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using AkkaStream.Broker.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Protocol.Serialization;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Membership;

/// <summary>
/// Answers the cluster tooling's requests on every broker (<c>/user/membership</c>, reached through
/// the gateway): describes the Akka cluster as this node sees it, with what each node hosts of the
/// <c>partition</c> and <c>group</c> shard regions, and makes a member leave or downs it. Owns
/// nothing; reads the node's cluster state and metadata.
/// </summary>
public sealed class MembershipActor : ReceiveActor
{
    public const string ActorName = "membership";

    /// <summary>
    /// Asks a member's membership actor which members its own failure detector sees unreachable:
    /// who observes whom is not in Akka's public cluster state, so the describing node asks each.
    /// </summary>
    public sealed record ObserveReachability : IHyperionSerializable
    {
        public static readonly ObserveReachability Instance = new();
    }

    /// <param name="Unreachable">The addresses (as strings) this member's failure detector marks unavailable.</param>
    public sealed record ReachabilityObserved(string Observer, string[] Unreachable) : IHyperionSerializable;

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly MetadataView _metadata;
    private readonly IReadOnlyDictionary<string, IActorRef> _regions;
    private readonly TimeSpan _statsTimeout;

    public MembershipActor(MetadataView metadata, IReadOnlyDictionary<string, IActorRef> regions, TimeSpan statsTimeout)
    {
        _metadata = metadata;
        _regions = regions;
        _statsTimeout = statsTimeout;
        ReceiveAsync<DescribeMembersRequest>(_ => DescribeAsync());
        Receive<LeaveMemberRequest>(Leave);
        Receive<DownMemberRequest>(Down);
        Receive<ObserveReachability>(_ => Sender.Tell(new ReachabilityObserved(_cluster.SelfAddress.ToString(), LocallyUnreachable())));
    }

    public static Props Props(MetadataView metadata, IReadOnlyDictionary<string, IActorRef> regions, TimeSpan statsTimeout) =>
        Akka.Actor.Props.Create(() => new MembershipActor(metadata, regions, statsTimeout));

    private async Task DescribeAsync()
    {
        var replyTo = Sender;
        // The regions and the members are asked at once, so that a dead member costs one timeout, not one per question.
        var stats = _regions.Select(async r => (r.Key, Stats: await StatsAsync(r.Value))).ToArray();
        var observations = ObservationsAsync();
        var regions = (await Task.WhenAll(stats)).ToDictionary(r => r.Key, r => r.Stats);
        replyTo.Tell(MembershipView.Describe(_cluster, _metadata.Current, regions, await observations));
    }

    /// <summary>The region's statistics over every node (each region asks the others'); null when it does not answer in time.</summary>
    private async Task<ClusterShardingStats?> StatsAsync(IActorRef region)
    {
        try
        {
            return await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(_statsTimeout), _statsTimeout + TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Each member's own view of who is unreachable; a member that does not answer in time (it may be down) observes nothing.</summary>
    private async Task<IReadOnlyDictionary<Address, IReadOnlyList<Address>>> ObservationsAsync()
    {
        var others = _cluster.State.Members.Where(m => m.Address != _cluster.SelfAddress && m.Status is MemberStatus.Up or MemberStatus.Leaving or MemberStatus.WeaklyUp)
            .Select(async m =>
            {
                try
                {
                    var path = new RootActorPath(m.Address) / "user" / ActorName;
                    var answer = await Context.ActorSelection(path).Ask<ReachabilityObserved>(ObserveReachability.Instance, _statsTimeout);
                    return (m.Address, Unreachable: (IReadOnlyList<Address>)answer.Unreachable.Select(Address.Parse).ToArray());
                }
                catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
                {
                    return (m.Address, Unreachable: (IReadOnlyList<Address>)Array.Empty<Address>());
                }
            }).ToArray();
        var result = new Dictionary<Address, IReadOnlyList<Address>>
        {
            [_cluster.SelfAddress] = LocallyUnreachable().Select(Address.Parse).ToArray(),
        };
        foreach (var (address, unreachable) in await Task.WhenAll(others)) result[address] = unreachable;
        return result;
    }

    private string[] LocallyUnreachable() =>
        _cluster.State.Members
            .Where(m => m.Address != _cluster.SelfAddress && _cluster.FailureDetector.IsMonitoring(m.Address) && !_cluster.FailureDetector.IsAvailable(m.Address))
            .Select(m => m.Address.ToString())
            .ToArray();

    private void Leave(LeaveMemberRequest request)
    {
        var member = MemberTarget.Find(_cluster.State.Members, request.Member);
        if (member is null)
        {
            Sender.Tell(NotFound(request.Member));
            return;
        }
        Sender.Tell(new MemberChangeResponse(request.Member, member.Address.ToString(), ErrorCode.None, null));
        _cluster.Leave(member.Address);
    }

    private void Down(DownMemberRequest request)
    {
        var member = MemberTarget.Find(_cluster.State.Members, request.Member);
        if (member is null)
        {
            Sender.Tell(NotFound(request.Member));
            return;
        }
        var reachable = !_cluster.State.Unreachable.Contains(member);
        if (reachable && !request.Force)
        {
            Sender.Tell(new MemberChangeResponse(request.Member, member.Address.ToString(), ErrorCode.InvalidRequest,
                $"{member.Address} is reachable ({member.Status}): downing it would cut off a broker that still serves; make it leave instead, or force it"));
            return;
        }
        Sender.Tell(new MemberChangeResponse(request.Member, member.Address.ToString(), ErrorCode.None, null));
        _cluster.Down(member.Address);
    }

    private MemberChangeResponse NotFound(string target) =>
        new(target, "", ErrorCode.BrokerNotAvailable,
            $"no member of the cluster is '{target}' (give a broker id or an address); members: {string.Join(", ", _cluster.State.Members.Select(m => m.Address))}");
}
