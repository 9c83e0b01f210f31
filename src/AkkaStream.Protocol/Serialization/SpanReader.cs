using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// Reads the fields <see cref="SpanWriter"/> writes. Every read checks the remaining length, and a
/// short or malformed payload is a <see cref="SerializationException"/>: Akka.Remote then drops the
/// one message and keeps the association, where any other exception would tear it down.
/// A ref struct: lives on one thread's stack.
/// </summary>
internal ref struct SpanReader(ReadOnlySpan<byte> source, string manifest)
{
    private readonly ReadOnlySpan<byte> _source = source;
    private readonly string _manifest = manifest;
    private int _position;

    public byte ReadByte() => Take(1)[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public string? ReadNullableString()
    {
        var length = ReadInt32();
        if (length == -1)
        {
            return null;
        }
        return Encoding.UTF8.GetString(Take(CheckLength(length)));
    }

    public string ReadString() =>
        ReadNullableString() ?? throw Malformed("a null string where one is required");

    /// <summary>The one copy of the records on the way in: the message owns its array.</summary>
    public byte[] ReadBytes() => Take(CheckLength(ReadInt32())).ToArray();

    /// <summary>Refuses trailing bytes, which mean the writer and reader disagree on the layout.</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _source.Length)
        {
            throw Malformed($"{_source.Length - _position} bytes after the last field");
        }
    }

    private int CheckLength(int length) =>
        length < 0 ? throw Malformed($"negative length {length}") : length;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _source.Length - _position)
        {
            throw Malformed($"needs {count} bytes at {_position}, has {_source.Length - _position}");
        }
        var slice = _source.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly SerializationException Malformed(string what) =>
        new($"Malformed data-plane message (manifest '{_manifest}'): {what}.");
}
