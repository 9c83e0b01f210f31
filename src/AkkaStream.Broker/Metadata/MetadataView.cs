namespace AkkaStream.Broker.Metadata;

/// <summary>
/// The node's latest metadata snapshot, readable from any actor without a message. Thread-safe:
/// the metadata cache is the only writer, and readers see a whole immutable snapshot.
/// </summary>
public sealed class MetadataView
{
    private MetadataSnapshot _current = MetadataSnapshot.Empty;

    public MetadataSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Takes <paramref name="snapshot"/> when it is newer than the current one.</summary>
    public bool TryUpdate(MetadataSnapshot snapshot)
    {
        while (true)
        {
            var current = Current;
            if (snapshot.Version <= current.Version)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _current, snapshot, current) == current)
            {
                return true;
            }
        }
    }
}
