using System.Buffers.Binary;
using System.Text;

namespace AkkaStream.Client.Groups.Protocol;

/// <summary>Writes the big-endian, non-flexible primitives of Kafka's ConsumerProtocol messages. Not thread-safe.</summary>
internal sealed class ConsumerProtocolWriter
{
    private readonly MemoryStream _out = new();

    public void WriteInt16(short value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(b, value);
        _out.Write(b);
    }

    public void WriteInt32(int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        _out.Write(b);
    }

    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteInt16(-1);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > short.MaxValue)
        {
            throw new ArgumentException($"a string of {bytes.Length} bytes does not fit Kafka's int16 length", nameof(value));
        }
        WriteInt16((short)bytes.Length);
        _out.Write(bytes);
    }

    public void WriteNullableBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }
        WriteInt32(value.Length);
        _out.Write(value);
    }

    public void WriteArray<T>(IReadOnlyCollection<T> items, Action<ConsumerProtocolWriter, T> writeOne)
    {
        WriteInt32(items.Count);
        foreach (var item in items)
        {
            writeOne(this, item);
        }
    }

    public byte[] ToArray() => _out.ToArray();
}
