namespace AkkaStream.Broker.Serialization;

/// <summary>An event or snapshot written to the cluster journal; serialized by <see cref="BrokerEventSerializer"/>.</summary>
public interface IPersistedEvent;
