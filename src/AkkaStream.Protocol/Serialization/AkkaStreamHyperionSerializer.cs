using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// Hyperion restricted to <see cref="AkkaStreamTypeFilter"/>: serializes the control messages
/// (<see cref="Messages.IControlMessage"/>, <see cref="IHyperionSerializable"/>) and refuses any
/// other type both when writing (<see cref="ObjectGraphCheck"/>; Akka.Remote logs an error and drops
/// the message) and when reading (Hyperion's filter; logged as a warning, the message dropped, the
/// association kept).
///
/// Why a subclass: in Akka.Serialization.Hyperion 1.5.73 the HOCON <c>allowed-types</c> list
/// refuses every type, and a filter given through <c>HyperionSerializerSetup</c> is applied to the
/// settings object but not to the Hyperion serializer built from it. The settings passed to the
/// base constructor are the ones it builds with, so the filter goes in there.
/// Thread-safe, as Hyperion's serializer is.
/// </summary>
public sealed class AkkaStreamHyperionSerializer : HyperionSerializer
{
    public const int SerializerId = 7002;

    /// <summary>Used by Akka when no <c>serialization-settings</c> section exists for the serializer.</summary>
    public AkkaStreamHyperionSerializer(ExtendedActorSystem system)
        : base(system, HyperionSerializerSettings.Default.WithTypeFilter(AkkaStreamTypeFilter.Instance))
    {
    }

    /// <summary>Used by Akka with the serializer's <c>serialization-settings</c> section.</summary>
    public AkkaStreamHyperionSerializer(ExtendedActorSystem system, Config config)
        : base(system, HyperionSerializerSettings.Create(config).WithTypeFilter(AkkaStreamTypeFilter.Instance))
    {
    }

    /// <summary>Our own id, so that bytes from an unfiltered Hyperion (id -5) are never read by this one or the reverse.</summary>
    public override int Identifier => SerializerId;

    public override byte[] ToBinary(object obj)
    {
        // Hyperion consults its type filter only when reading, so the writer checks the whole graph.
        ObjectGraphCheck.EnsureAllowed(obj);
        try
        {
            return base.ToBinary(obj);
        }
        catch (Exception e) when (e is not SerializationException)
        {
            // Any other exception would make Akka.Remote drop the whole association.
            throw new SerializationException($"Could not serialize {obj.GetType().FullName}: {e.Message}", e);
        }
    }
}
