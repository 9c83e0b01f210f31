using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Kafka.Protocol.Framing;

/// <summary>
/// Cuts Kafka's size-prefixed frames (<c>int32 size</c>, then <c>size</c> bytes) out of the bytes a
/// connection has received. A partial frame is normal (the caller keeps the bytes and reads more);
/// a frame is taken only once whole, copied into a pooled buffer. The size is checked against the
/// configured maximum before anything is rented, so no frame can make the broker allocate more than
/// <see cref="MaxRequestSize"/>. Each rejection is logged with its reason. Thread-safe (no state
/// beyond its settings).
/// </summary>
public sealed class FrameDecoder(int maxRequestSize, ILogger logger)
{
    public const int SizePrefixLength = 4;

    public int MaxRequestSize { get; } = maxRequestSize > 0
        ? maxRequestSize
        : throw new ArgumentOutOfRangeException(nameof(maxRequestSize), "the maximum request size must be positive");

    /// <summary>
    /// Takes the next frame from <paramref name="received"/>. <paramref name="endOfStream"/> says the
    /// peer has closed its side, so a partial frame is now a truncated one.
    /// </summary>
    public FrameStatus TryTakeFrame(ReadOnlySpan<byte> received, bool endOfStream,
        out PooledFrame? frame, out int consumed, out FrameRejection? rejection)
    {
        frame = null;
        consumed = 0;
        var status = Measure(received, received.Length, endOfStream, out var size, out rejection);
        if (status != FrameStatus.Complete) return status;
        frame = new PooledFrame(received.Slice(SizePrefixLength, size));
        consumed = SizePrefixLength + size;
        return status;
    }

    /// <summary>
    /// The same over a connection's received bytes, which may lie in several buffer segments (a
    /// large produce request always does): the frame is copied out of them once, into its pooled buffer.
    /// </summary>
    public FrameStatus TryTakeFrame(in ReadOnlySequence<byte> received, bool endOfStream,
        out PooledFrame? frame, out long consumed, out FrameRejection? rejection)
    {
        frame = null;
        consumed = 0;
        Span<byte> prefix = stackalloc byte[SizePrefixLength];
        var start = prefix[..(int)Math.Min(SizePrefixLength, received.Length)];
        received.Slice(0, start.Length).CopyTo(start);
        var status = Measure(start, received.Length, endOfStream, out var size, out rejection);
        if (status != FrameStatus.Complete) return status;
        frame = new PooledFrame(received.Slice(SizePrefixLength, size));
        consumed = SizePrefixLength + size;
        return status;
    }

    /// <summary>
    /// Checks the size prefix at the start of <paramref name="start"/> against the maximum and
    /// against the <paramref name="available"/> bytes: Complete when a whole frame of
    /// <paramref name="size"/> bytes follows it.
    /// </summary>
    private FrameStatus Measure(ReadOnlySpan<byte> start, long available, bool endOfStream, out int size, out FrameRejection? rejection)
    {
        size = 0;
        rejection = null;
        if (start.Length < SizePrefixLength)
        {
            return available == 0 || !endOfStream
                ? FrameStatus.Incomplete
                : Reject(RejectionReason.Truncated, $"the stream ended after {available} bytes of a size prefix", out rejection);
        }
        size = BinaryPrimitives.ReadInt32BigEndian(start);
        if (size < 0) return Reject(RejectionReason.NegativeSize, $"declared size {size}", out rejection);
        if (size > MaxRequestSize) return Reject(RejectionReason.TooLarge, $"declared size {size} is above the maximum {MaxRequestSize}", out rejection);
        if (available - SizePrefixLength < size)
        {
            return endOfStream
                ? Reject(RejectionReason.Truncated, $"the stream ended after {available - SizePrefixLength} of {size} bytes", out rejection)
                : FrameStatus.Incomplete;
        }
        return FrameStatus.Complete;
    }

    private FrameStatus Reject(RejectionReason reason, string detail, out FrameRejection rejection)
    {
        rejection = new FrameRejection(reason, detail);
        logger.LogDebug("Kafka frame rejected ({Reason}): {Detail}", reason, detail);
        return FrameStatus.Rejected;
    }
}

public enum FrameStatus
{
    /// <summary>A whole frame was taken.</summary>
    Complete,

    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>The bytes cannot be a valid frame; the connection must be closed.</summary>
    Rejected,
}
