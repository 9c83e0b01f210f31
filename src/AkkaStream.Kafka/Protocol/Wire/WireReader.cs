using System.Buffers.Binary;
using System.Text;
using AkkaStream.Records.Encoding;

namespace AkkaStream.Kafka.Protocol.Wire;

/// <summary>
/// A forward-only cursor over one frame's bytes that reads Kafka's primitive types: big-endian
/// integers, unsigned varints, classic (int16/int32 length) and compact (unsigned varint length + 1)
/// strings, bytes and array lengths, UUIDs. Every read is a Try-method: on bad input it returns
/// false and records a reason in <see cref="Error"/>; it never throws and never reads past the
/// span. <see cref="Position"/> is the number of bytes consumed so far. Lengths are checked against
/// <see cref="Remaining"/> before anything is allocated, so a hostile length cannot make the reader
/// allocate more than the frame holds. Not thread-safe (a stack-only cursor).
/// </summary>
public ref struct WireReader
{
    /// <summary>An unsigned varint carrying a 32-bit length or count takes at most this many bytes.</summary>
    private const int MaxUnsignedVarint32Bytes = 5;

    private readonly ReadOnlySpan<byte> _buffer;

    public WireReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        Position = 0;
        Error = null;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _buffer.Length - Position;

    /// <summary>Why the first failed read failed, with the byte position; null while all reads succeeded.</summary>
    public string? Error { get; private set; }

    public bool TryReadInt8(out sbyte value)
    {
        value = 0;
        if (!Ensure(1, "int8")) return false;
        value = (sbyte)_buffer[Position++];
        return true;
    }

    public bool TryReadBoolean(out bool value)
    {
        value = false;
        if (!Ensure(1, "boolean")) return false;
        value = _buffer[Position++] != 0;
        return true;
    }

    public bool TryReadInt16(out short value)
    {
        value = 0;
        if (!Ensure(2, "int16")) return false;
        value = BinaryPrimitives.ReadInt16BigEndian(_buffer[Position..]);
        Position += 2;
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        value = 0;
        if (!Ensure(2, "uint16")) return false;
        value = BinaryPrimitives.ReadUInt16BigEndian(_buffer[Position..]);
        Position += 2;
        return true;
    }

    public bool TryReadInt32(out int value)
    {
        value = 0;
        if (!Ensure(4, "int32")) return false;
        value = BinaryPrimitives.ReadInt32BigEndian(_buffer[Position..]);
        Position += 4;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        value = 0;
        if (!Ensure(4, "uint32")) return false;
        value = BinaryPrimitives.ReadUInt32BigEndian(_buffer[Position..]);
        Position += 4;
        return true;
    }

    public bool TryReadInt64(out long value)
    {
        value = 0;
        if (!Ensure(8, "int64")) return false;
        value = BinaryPrimitives.ReadInt64BigEndian(_buffer[Position..]);
        Position += 8;
        return true;
    }

    public bool TryReadFloat64(out double value)
    {
        value = 0;
        if (!Ensure(8, "float64")) return false;
        value = BinaryPrimitives.ReadDoubleBigEndian(_buffer[Position..]);
        Position += 8;
        return true;
    }

    /// <summary>A UUID as Kafka writes it: the 16 bytes in network order (most significant first).</summary>
    public bool TryReadUuid(out Guid value)
    {
        value = Guid.Empty;
        if (!Ensure(16, "uuid")) return false;
        value = new Guid(_buffer.Slice(Position, 16), bigEndian: true);
        Position += 16;
        return true;
    }

    /// <summary>An unsigned varint that must fit in 32 bits (lengths, counts, tags).</summary>
    public bool TryReadUnsignedVarint(out uint value)
    {
        value = 0;
        if (!Varint.TryReadUnsigned(_buffer[Position..], MaxUnsignedVarint32Bytes, out var raw, out var consumed) || raw > uint.MaxValue)
        {
            return Fail("malformed or truncated unsigned varint");
        }
        value = (uint)raw;
        Position += consumed;
        return true;
    }

    public bool TryReadVarint(out int value)
    {
        value = 0;
        if (!Varint.TryReadInt32(_buffer[Position..], out value, out var consumed)) return Fail("malformed or truncated varint");
        Position += consumed;
        return true;
    }

    public bool TryReadVarlong(out long value)
    {
        value = 0;
        if (!Varint.TryReadInt64(_buffer[Position..], out value, out var consumed)) return Fail("malformed or truncated varlong");
        Position += consumed;
        return true;
    }

    /// <summary>
    /// The length that prefixes a string, bytes or array: int16 (strings) or int32 (bytes, arrays)
    /// when classic, unsigned varint holding length + 1 when compact; -1 means null.
    /// </summary>
    public bool TryReadLength(LengthForm form, out int length)
    {
        length = 0;
        switch (form)
        {
            case LengthForm.Int16:
                if (!TryReadInt16(out var s)) return false;
                length = s;
                break;
            case LengthForm.Int32:
                if (!TryReadInt32(out length)) return false;
                break;
            default:
                if (!TryReadUnsignedVarint(out var u)) return false;
                if (u > int.MaxValue) return Fail($"compact length {u} is out of range");
                length = (int)u - 1;
                break;
        }
        return length >= -1 || Fail($"negative length {length}");
    }

    /// <summary>A string of <paramref name="length"/> UTF-8 bytes (the length already read).</summary>
    public bool TryReadUtf8(int length, out string value)
    {
        value = "";
        if (!Ensure(length, "string")) return false;
        value = Encoding.UTF8.GetString(_buffer.Slice(Position, length));
        Position += length;
        return true;
    }

    public bool TryReadBytes(int length, out byte[] value)
    {
        value = [];
        if (!Ensure(length, "bytes")) return false;
        value = ByteCopies.ToArray(_buffer.Slice(Position, length));
        Position += length;
        return true;
    }

    /// <summary>Takes the next <paramref name="length"/> bytes as a span without copying (tagged field payloads).</summary>
    public bool TrySlice(int length, out ReadOnlySpan<byte> slice)
    {
        slice = default;
        if (!Ensure(length, "tagged field")) return false;
        slice = _buffer.Slice(Position, length);
        Position += length;
        return true;
    }

    public bool Fail(string reason)
    {
        Error ??= $"{reason} at byte {Position}";
        return false;
    }

    private bool Ensure(int count, string what) =>
        count <= Remaining || Fail($"{what} needs {count} bytes but only {Remaining} remain");
}
