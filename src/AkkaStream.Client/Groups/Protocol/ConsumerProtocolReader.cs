using System.Buffers.Binary;
using System.Text;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Groups.Protocol;

/// <summary>
/// Reads the big-endian, non-flexible primitives of Kafka's ConsumerProtocol messages from a span,
/// checking every length against what is left: a truncated or corrupt member metadata becomes an
/// <see cref="AkkaStreamException"/> with <see cref="ErrorCode.InconsistentGroupProtocol"/>, never an
/// index or allocation failure. A ref struct over the caller's bytes: use on one thread.
/// </summary>
internal ref struct ConsumerProtocolReader(ReadOnlySpan<byte> bytes, string what)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2, "int16"));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4, "int32"));

    /// <summary>An int16-length string; -1 is null.</summary>
    public string? ReadNullableString()
    {
        var length = ReadInt16();
        if (length == -1)
        {
            return null;
        }
        if (length < 0)
        {
            throw Corrupt($"string length {length}");
        }
        try
        {
            return StrictUtf8.GetString(Take(length, "string"));
        }
        catch (DecoderFallbackException e)
        {
            throw Corrupt($"string is not UTF-8 ({e.Message})");
        }
    }

    public string ReadString() => ReadNullableString() ?? throw Corrupt("null where a string is required");

    /// <summary>An int32-length byte array; -1 is null.</summary>
    public byte[]? ReadNullableBytes()
    {
        var length = ReadInt32();
        if (length == -1)
        {
            return null;
        }
        if (length < 0)
        {
            throw Corrupt($"bytes length {length}");
        }
        return Take(length, "bytes").ToArray();
    }

    /// <summary>
    /// An int32 element count, checked against the bytes left (each element takes at least
    /// <paramref name="minElementSize"/> bytes), so that a corrupt count cannot make the caller
    /// allocate a huge list.
    /// </summary>
    public int ReadArrayCount(int minElementSize)
    {
        var count = ReadInt32();
        if (count < 0)
        {
            throw Corrupt($"array count {count}");
        }
        if ((long)count * minElementSize > _bytes.Length - _position)
        {
            throw Corrupt($"array of {count} elements does not fit in the {_bytes.Length - _position} bytes left");
        }
        return count;
    }

    public AkkaStreamException Corrupt(string detail) =>
        new(ErrorCode.InconsistentGroupProtocol, $"corrupt {what} at byte {_position} of {_bytes.Length}: {detail}");

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > _bytes.Length - _position)
        {
            throw Corrupt($"{field} of {count} bytes runs past the end");
        }
        var slice = _bytes.Slice(_position, count);
        _position += count;
        return slice;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
