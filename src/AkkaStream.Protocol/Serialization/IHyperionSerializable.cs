namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// Marks a message that crosses Akka.Remote in Hyperion's format through
/// <see cref="AkkaStreamHyperionSerializer"/>, restricted to AkkaStream's types. The public control
/// messages carry it through <see cref="Messages.IControlMessage"/>; a broker's internal messages
/// implement it directly. Data-plane and persisted messages have their own serializers instead.
/// </summary>
public interface IHyperionSerializable;
