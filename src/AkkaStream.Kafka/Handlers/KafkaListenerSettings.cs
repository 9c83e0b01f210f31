using AkkaStream.Broker.Configuration;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// Where the Kafka listener is bound and what it tells clients (<c>akkastream.kafka</c> in HOCON,
/// read by the broker's settings as <see cref="KafkaListenerOptions"/>), once bound. Immutable.
/// </summary>
/// <param name="Port">The bound port (the one the system picked when 0 was configured).</param>
/// <param name="AdvertisedHost">The host Metadata names for this broker; clients connect there.</param>
/// <param name="MaxRequestBytes">The largest frame accepted; a larger declared size closes the connection before anything is allocated.</param>
public sealed record KafkaListenerSettings(
    string Host,
    int Port,
    string AdvertisedHost,
    int AdvertisedPort,
    int MaxRequestBytes)
{
    public static KafkaListenerSettings From(KafkaListenerOptions options, int boundPort) =>
        new(options.Host, boundPort, options.AdvertisedHost, options.AdvertisedPort > 0 ? options.AdvertisedPort : boundPort, options.MaxRequestBytes);
}
