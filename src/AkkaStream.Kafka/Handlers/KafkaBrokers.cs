using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// The brokers a Kafka client can connect to: those whose Kafka listener address the metadata
/// carries, and this broker at its advertised address (known here even before the metadata shows
/// it). A broker without a listener is left out: a client could not reach it. Thread-safe (stateless).
/// </summary>
internal static class KafkaBrokers
{
    public static IEnumerable<(int BrokerId, string Host, int Port)> Of(KafkaRequestContext context, IReadOnlyList<BrokerMetadata> brokers)
    {
        foreach (var broker in brokers.OrderBy(b => b.BrokerId))
        {
            if (broker.BrokerId == context.BrokerId)
            {
                yield return (broker.BrokerId, context.Listener.AdvertisedHost, context.Listener.AdvertisedPort);
            }
            else if (broker.KafkaHost.Length > 0)
            {
                yield return (broker.BrokerId, broker.KafkaHost, broker.KafkaPort);
            }
        }
    }
}
