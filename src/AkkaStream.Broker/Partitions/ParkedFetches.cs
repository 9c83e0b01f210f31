using Akka.Actor;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Partitions;

/// <summary>
/// Fetches waiting for data (Kafka's delayed fetch): each is answered when an append brings
/// enough bytes or when its wait runs out. Not thread-safe; owned by one <see cref="PartitionEntity"/>.
/// </summary>
internal sealed class ParkedFetches
{
    internal sealed record Parked(long Id, IActorRef ReplyTo, FetchRequest Request);

    private readonly Dictionary<long, Parked> _parked = [];
    private long _nextId;

    public int Count => _parked.Count;

    public Parked Park(IActorRef replyTo, FetchRequest request)
    {
        var parked = new Parked(++_nextId, replyTo, request);
        _parked[parked.Id] = parked;
        return parked;
    }

    public Parked? Take(long id) => _parked.Remove(id, out var parked) ? parked : null;

    /// <summary>Removes and returns every parked fetch that <paramref name="isSatisfied"/> accepts.</summary>
    public List<Parked> TakeWhere(Func<Parked, bool> isSatisfied)
    {
        var taken = new List<Parked>();
        foreach (var parked in _parked.Values)
        {
            if (isSatisfied(parked)) taken.Add(parked);
        }
        foreach (var parked in taken) _parked.Remove(parked.Id);
        return taken;
    }

    public List<Parked> TakeAll()
    {
        var all = _parked.Values.ToList();
        _parked.Clear();
        return all;
    }
}
