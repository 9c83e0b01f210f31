namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// Where the Kafka listener binds and what it tells clients (<c>akkastream.kafka</c> in HOCON).
/// </summary>
/// <param name="AdvertisedHost">The host Metadata names for this broker; clients connect there.</param>
/// <param name="MaxRequestBytes">The largest frame accepted; a larger declared size closes the connection before anything is allocated.</param>
public sealed record KafkaListenerSettings(
    string Host,
    int Port,
    string AdvertisedHost,
    int AdvertisedPort,
    int MaxRequestBytes);
