namespace AkkaStream.Records.Errors;

/// <summary>
/// A failure that a client can be told about: it carries the Kafka error code the client receives,
/// and a message that says what was wrong with the request or the data.
/// </summary>
public class AkkaStreamException : Exception
{
    public AkkaStreamException(ErrorCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public ErrorCode Code { get; }

    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>Bytes that do not form a valid record batch (bad length, magic, CRC or offsets).</summary>
public sealed class CorruptRecordException(string message, Exception? inner = null)
    : AkkaStreamException(ErrorCode.CorruptMessage, message, inner);
