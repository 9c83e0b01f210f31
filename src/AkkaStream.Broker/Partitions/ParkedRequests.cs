using Akka.Actor;

namespace AkkaStream.Broker.Partitions;

/// <summary>
/// Requests that wait for the partition to move on, each answered by the owner when its
/// condition holds or its timer runs out: fetches waiting for data (Kafka's delayed fetch) and
/// acks=all produces waiting for the high watermark (Kafka's delayed produce). Not thread-safe;
/// owned by one <see cref="PartitionEntity"/>.
/// </summary>
internal sealed class ParkedRequests<TRequest>
{
    internal sealed record Parked(long Id, IActorRef ReplyTo, TRequest Request);

    private readonly Dictionary<long, Parked> _parked = [];
    private long _nextId;

    public int Count => _parked.Count;

    public Parked Park(IActorRef replyTo, TRequest request)
    {
        var parked = new Parked(++_nextId, replyTo, request);
        _parked[parked.Id] = parked;
        return parked;
    }

    public Parked? Take(long id) => _parked.Remove(id, out var parked) ? parked : null;

    /// <summary>Removes and returns every parked request that <paramref name="isSatisfied"/> accepts.</summary>
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
