namespace AkkaStream.Kafka.Protocol.Framing;

/// <summary>Why a frame was refused. Each one closes the connection it came from.</summary>
public enum RejectionReason
{
    /// <summary>The int32 size prefix is negative.</summary>
    NegativeSize,

    /// <summary>The size prefix is above the configured maximum request size (socket.request.max.bytes).</summary>
    TooLarge,

    /// <summary>The stream ended inside a frame.</summary>
    Truncated,

    /// <summary>The header names an API key AkkaStream does not serve.</summary>
    UnknownApiKey,

    /// <summary>The header names a version of a served API outside its supported range.</summary>
    UnsupportedVersion,

    /// <summary>The header or body does not parse at the version the header names.</summary>
    Malformed,
}

/// <summary>A refused frame: the reason, and a detail (where and what) for the log.</summary>
public sealed record FrameRejection(RejectionReason Reason, string Detail)
{
    public override string ToString() => $"{Reason}: {Detail}";
}
