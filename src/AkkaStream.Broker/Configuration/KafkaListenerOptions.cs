namespace AkkaStream.Broker.Configuration;

/// <summary>
/// The Kafka wire-protocol listener's settings as configured (<c>akkastream.kafka</c>; Kafka:
/// listeners, advertised.listeners, socket.request.max.bytes). The broker itself only publishes
/// the advertised address with its cluster membership (<see cref="Role"/>), so that every broker's
/// Metadata can name every other broker's listener; the listener is run by AkkaStream.Kafka.
/// Immutable.
/// </summary>
/// <param name="Port">0 picks a free port when the listener binds.</param>
/// <param name="AdvertisedHost">What Metadata names for this broker: <paramref name="Host"/> unless set.</param>
/// <param name="AdvertisedPort">0 until known: the bound port, set by the host that binds before the broker starts.</param>
public sealed record KafkaListenerOptions(bool Enabled, string Host, int Port, string AdvertisedHost, int AdvertisedPort, int MaxRequestBytes)
{
    /// <summary>The prefix of the cluster role that carries a broker's advertised Kafka address.</summary>
    public const string RolePrefix = "kafka-listener=";

    /// <summary>The role to publish, or null while there is nothing to advertise.</summary>
    public string? Role => Enabled && AdvertisedPort > 0 ? AddressRole.Format(RolePrefix, AdvertisedHost, AdvertisedPort) : null;

    /// <summary>Reads the address a member's roles advertise; false when it has no Kafka listener.</summary>
    public static bool TryParseRole(IEnumerable<string> roles, out string host, out int port) =>
        AddressRole.TryParse(roles, RolePrefix, out host, out port);
}
