using AkkaStream.Broker.Serialization;

namespace AkkaStream.Broker.Partitions;

/// <summary>
/// A leader entity started serving <paramref name="Epoch"/> with the log ending at
/// <paramref name="StartOffset"/>: the partition's leader-epoch history, kept in the journal so it
/// follows leadership from broker to broker. An entity of an older epoch that finds a newer one
/// here refuses to serve.
/// </summary>
public sealed record LeaderEpochStarted(int Epoch, int Broker, long StartOffset) : IPersistedEvent;
