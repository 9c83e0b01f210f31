using System.Buffers.Binary;
using System.Text;

namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// Writes big-endian fields into a buffer sized beforehand (see <see cref="SizeOf(string?)"/>), so a
/// message is encoded into exactly one array with no growth and no intermediate copies.
/// A ref struct: lives on one thread's stack.
/// </summary>
internal ref struct SpanWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Position => _position;

    /// <summary>The encoded size of a string field: a 4-byte length (-1 for null), then UTF-8 bytes.</summary>
    public static int SizeOf(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    /// <summary>The encoded size of a byte field: a 4-byte length, then the bytes as they are.</summary>
    public static int SizeOf(byte[] value) => 4 + value.Length;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_destination[_position..], value);
        _position += 2;
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_destination[_position..], value);
        _position += 4;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_destination[_position..], value);
        _position += 8;
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }
        var length = Encoding.UTF8.GetBytes(value, _destination[(_position + 4)..]);
        WriteInt32(length);
        _position += length;
    }

    public void WriteBytes(byte[] value)
    {
        WriteInt32(value.Length);
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }
}
