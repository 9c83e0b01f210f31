using System.Globalization;
using Akka.Configuration;
using AkkaStream.Broker.Configuration;
using AkkaStream.Protocol.Serialization;

namespace AkkaStream.Broker.Hosting;

/// <summary>
/// The Akka settings derived from the <c>akkastream { }</c> settings (remote endpoint, cluster
/// roles, journal), layered over the loaded configuration. Thread-safe (stateless).
/// </summary>
public static class AkkaConfig
{
    public static Config For(BrokerSettings settings, Config loaded)
    {
        var derived = string.Create(CultureInfo.InvariantCulture, $$"""
            akka.remote.dot-netty.tcp {
              hostname = {{SqliteJournal.Quote(settings.ListenerHost)}}
              public-hostname = {{SqliteJournal.Quote(settings.PublicHost)}}
              port = {{settings.ListenerPort}}
            }
            akka.cluster.roles = [{{BrokerSettings.BrokerRole}}, {{settings.BrokerIdRole}}{{ListenerRoles(settings)}}]
            """);
        var config = ConfigurationFactory.ParseString(derived);
        if (settings.JournalKind == "sqlite")
        {
            config = config.WithFallback(ConfigurationFactory.ParseString(SqliteJournal.Hocon(settings.JournalPath, settings.JournalBusyTimeout)));
        }
        // The protocol's serializers (data plane, filtered Hyperion) under everything the node sets.
        return config.WithFallback(loaded).WithFallback(ProtocolSerialization.Config);
    }

    /// <summary>
    /// The listeners' published addresses as roles: the Kafka one so that the controller puts it in
    /// every broker's metadata, the HTTP one so that every console can reach every broker's.
    /// </summary>
    private static string ListenerRoles(BrokerSettings settings) =>
        string.Concat(new[] { settings.Kafka.Role, settings.Http.Role }.OfType<string>().Select(role => ", " + SqliteJournal.Quote(role)));
}
