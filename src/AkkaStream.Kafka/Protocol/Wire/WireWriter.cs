using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using AkkaStream.Records.Encoding;

namespace AkkaStream.Kafka.Protocol.Wire;

/// <summary>
/// Writes Kafka's primitive types, mirroring <see cref="WireReader"/>, into an
/// <see cref="IBufferWriter{T}"/>. Not thread-safe.
/// </summary>
public readonly struct WireWriter(IBufferWriter<byte> output)
{
    public void WriteInt8(sbyte value) => Put(1).Span[0] = (byte)value;

    public void WriteBoolean(bool value) => Put(1).Span[0] = value ? (byte)1 : (byte)0;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Put(2).Span, value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Put(2).Span, value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Put(4).Span, value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Put(4).Span, value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Put(8).Span, value);

    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Put(8).Span, value);

    public void WriteUuid(Guid value) => value.TryWriteBytes(Put(16).Span, bigEndian: true, out _);

    public void WriteUnsignedVarint(uint value)
    {
        var span = output.GetSpan(Varint.MaxInt32Bytes);
        output.Advance(Varint.WriteUnsigned(span, value));
    }

    public void WriteVarint(int value)
    {
        var span = output.GetSpan(Varint.MaxInt32Bytes);
        output.Advance(Varint.WriteInt32(span, value));
    }

    public void WriteVarlong(long value)
    {
        var span = output.GetSpan(Varint.MaxInt64Bytes);
        output.Advance(Varint.WriteInt64(span, value));
    }

    /// <summary>The length prefix of a string, bytes or array; -1 writes null.</summary>
    public void WriteLength(LengthForm form, int length)
    {
        switch (form)
        {
            case LengthForm.Int16: WriteInt16(checked((short)length)); break;
            case LengthForm.Int32: WriteInt32(length); break;
            default: WriteUnsignedVarint((uint)(length + 1)); break;
        }
    }

    public void WriteString(LengthForm form, string? value)
    {
        if (value is null)
        {
            WriteLength(form, -1);
            return;
        }
        var size = Encoding.UTF8.GetByteCount(value);
        WriteLength(form, size);
        Encoding.UTF8.GetBytes(value, Put(size).Span);
    }

    public void WriteBytes(LengthForm form, ReadOnlySpan<byte> value)
    {
        WriteLength(form, value.Length);
        WriteRaw(value);
    }

    public void WriteRaw(ReadOnlySpan<byte> value) => value.CopyTo(Put(value.Length).Span);

    private Memory<byte> Put(int size)
    {
        var memory = output.GetMemory(size)[..size];
        output.Advance(size);
        return memory;
    }
}
