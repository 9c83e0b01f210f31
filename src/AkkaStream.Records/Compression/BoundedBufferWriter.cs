using System.Buffers;

namespace AkkaStream.Records.Compression;

/// <summary>
/// The caller's destination as one decompression sees it: a writer that refuses to let the output
/// pass <c>maxDecompressedBytes</c>. Not thread-safe; one instance per decompression.
/// </summary>
/// <remarks>
/// A decompression bomb is a few bytes that expand to gigabytes. Two rules keep one harmless:
/// spans handed to the decoder are never longer than the bytes still allowed plus one, so the
/// destination never grows much past the limit; and <see cref="Advance"/> throws before committing
/// the byte that would cross it. The extra byte is how a decoder that fills the budget exactly is
/// told apart from one that has more to give.
/// </remarks>
internal sealed class BoundedBufferWriter : IBufferWriter<byte>
{
    // What a decoder gets when it names no size: large enough to keep calls into the decoder few,
    // small enough that a tiny output does not make the destination grow much.
    private const int DefaultSpanBytes = 64 * 1024;

    private readonly IBufferWriter<byte> _destination;
    private readonly string _codec;

    public BoundedBufferWriter(IBufferWriter<byte> destination, int limit, string codec)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _destination = destination;
        Limit = limit;
        _codec = codec;
    }

    public int Limit { get; }

    /// <summary>Bytes committed to the destination so far.</summary>
    public int Written { get; private set; }

    public int Remaining => Limit - Written;

    /// <summary>Throws unless <paramref name="length"/> more bytes fit: for formats that state their size up front.</summary>
    public void EnsureRoom(long length)
    {
        if (length > Remaining)
        {
            throw CodecErrors.TooLarge(_codec, Limit);
        }
    }

    public void Advance(int count)
    {
        if (count > Remaining)
        {
            throw CodecErrors.TooLarge(_codec, Limit);
        }
        _destination.Advance(count);
        Written += count;
    }

    /// <summary>A span of at most <see cref="Remaining"/> + 1 bytes, even when the hint asks for more.</summary>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var length = SpanLength(sizeHint);
        var span = _destination.GetSpan(length);
        return span.Length > length ? span[..length] : span;
    }

    /// <summary>Memory of at most <see cref="Remaining"/> + 1 bytes, even when the hint asks for more.</summary>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var length = SpanLength(sizeHint);
        var memory = _destination.GetMemory(length);
        return memory.Length > length ? memory[..length] : memory;
    }

    private int SpanLength(int sizeHint)
    {
        var wanted = sizeHint > 0 ? sizeHint : DefaultSpanBytes;
        return (int)Math.Min(wanted, (long)Remaining + 1);
    }
}
