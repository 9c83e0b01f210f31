namespace AkkaStream.Kafka.Protocol.Wire;

/// <summary>How a string, bytes or array length is written on the wire.</summary>
public enum LengthForm
{
    /// <summary>Classic strings: int16, -1 for null.</summary>
    Int16,

    /// <summary>Classic bytes and arrays: int32, -1 for null.</summary>
    Int32,

    /// <summary>Flexible versions (KIP-482): unsigned varint of length + 1, 0 for null.</summary>
    Compact,
}
