namespace AkkaStream.Protocol.Messages;

/// <summary>Every message of the public protocol between clients and brokers.</summary>
public interface IProtocolMessage;

/// <summary>
/// A message that carries record batches (produce, fetch). These are serialized by
/// <see cref="Serialization.DataPlaneSerializer"/>, which writes the batch bytes as they are.
/// </summary>
public interface IDataPlaneMessage : IProtocolMessage;

/// <summary>
/// A request or reply about metadata, offsets or administration: small, and serialized by
/// <see cref="Serialization.AkkaStreamHyperionSerializer"/> (Hyperion restricted to AkkaStream's types).
/// </summary>
public interface IControlMessage : IProtocolMessage, Serialization.IHyperionSerializable;

/// <summary>A reply that may carry an error; <see cref="Records.Errors.ErrorCode.None"/> when it succeeded.</summary>
public interface IErrorReply
{
    Records.Errors.ErrorCode Error { get; }

    /// <summary>What went wrong, for people: null when <see cref="Error"/> is None.</summary>
    string? ErrorMessage { get; }
}
