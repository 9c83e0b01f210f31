using Akka.Configuration;

namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// The serialization settings every AkkaStream ActorSystem includes, broker or client: the two
/// serializers, their bindings, and Akka.Remote frames large enough for a record batch.
/// Combine it as a fallback under the node's own configuration.
/// </summary>
public static class ProtocolSerialization
{
    /// <summary>
    /// Why each part is here:
    /// <list type="bullet">
    /// <item>produce and fetch messages go through <see cref="DataPlaneSerializer"/>, which copies batch bytes as they are;</item>
    /// <item>control messages (and any type marked <see cref="IHyperionSerializable"/>) go through the filtered Hyperion;</item>
    /// <item>Akka.Remote's default frame limit (128,000 bytes) silently drops a large batch, so frames
    /// and socket buffers are raised to 8 MiB; keep each message well below it.</item>
    /// </list>
    /// </summary>
    public const string Hocon = """
        akka.actor {
          serializers {
            akkastream-data-plane = "AkkaStream.Protocol.Serialization.DataPlaneSerializer, AkkaStream.Protocol"
            akkastream-hyperion = "AkkaStream.Protocol.Serialization.AkkaStreamHyperionSerializer, AkkaStream.Protocol"
          }
          serialization-bindings {
            "AkkaStream.Protocol.Messages.IDataPlaneMessage, AkkaStream.Protocol" = akkastream-data-plane
            "AkkaStream.Protocol.Messages.IControlMessage, AkkaStream.Protocol" = akkastream-hyperion
            "AkkaStream.Protocol.Serialization.IHyperionSerializable, AkkaStream.Protocol" = akkastream-hyperion
          }
          serialization-settings.akkastream-hyperion {
            # Hyperion's defaults. The type allow-list is AkkaStreamTypeFilter, set in code:
            # leave allowed-types empty (a non-empty list refuses every type in this version).
            preserve-object-references = true
            version-tolerance = true
            known-types-provider = "Akka.Serialization.NoKnownTypes, Akka.Serialization.Hyperion"
            disallow-unsafe-type = true
            allowed-types = []
          }
        }
        akka.remote.dot-netty.tcp {
          maximum-frame-size = 8MiB
          send-buffer-size = 8MiB
          receive-buffer-size = 8MiB
        }
        """;

    /// <summary><see cref="Hocon"/>, parsed.</summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString(Hocon);
}
