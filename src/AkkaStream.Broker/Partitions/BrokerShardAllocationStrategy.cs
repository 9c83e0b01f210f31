using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using AkkaStream.Broker.Controller;

namespace AkkaStream.Broker.Partitions;

/// <summary>
/// Places each partition shard on the broker its id names (<c>…@b&lt;broker&gt;</c>): the region
/// whose cluster member has the role <c>broker-id-&lt;broker&gt;</c>. No distributed-data round trip,
/// so a new leader epoch is placed at once. When that broker has no region (it is gone), the shard
/// goes to the requester, whose entity then refuses to serve (it is on the wrong broker). Shards
/// are never rebalanced: leadership moves by new epochs, not by moving shards.
/// </summary>
/// <remarks>Runs inside the shard coordinator; not shared between threads.</remarks>
public sealed class BrokerShardAllocationStrategy : IShardAllocationStrategy, IActorSystemDependentAllocationStrategy
{
    private Func<IActorRef, int?>? _brokerOfRegion;

    /// <param name="brokerOfRegion">Maps a region to its broker id; null to read cluster membership.</param>
    public BrokerShardAllocationStrategy(Func<IActorRef, int?>? brokerOfRegion = null) => _brokerOfRegion = brokerOfRegion;

    public void Start(ActorSystem system)
    {
        if (_brokerOfRegion is not null) return;
        var cluster = Cluster.Get(system);
        _brokerOfRegion = region =>
        {
            var address = region.Path.Address.HasLocalScope ? cluster.SelfAddress : region.Path.Address;
            foreach (var member in cluster.State.Members)
            {
                if (member.Address.Equals(address)) return ControllerActor.BrokerIdOf(member);
            }
            return null;
        };
    }

    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        if (PartitionEntityId.BrokerOf(shardId) is { } broker && _brokerOfRegion is { } brokerOf)
        {
            foreach (var region in currentShardAllocations.Keys)
            {
                if (brokerOf(region) == broker) return Task.FromResult(region);
            }
        }
        return Task.FromResult(requester);
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}
