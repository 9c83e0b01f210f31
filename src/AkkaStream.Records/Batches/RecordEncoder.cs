using AkkaStream.Records.Encoding;

namespace AkkaStream.Records.Batches;

/// <summary>
/// Sizes and writes one record in the encoding <see cref="RecordDecoder"/> describes. Stateless, so
/// thread-safe. A record is written in two steps: <see cref="WriteFields"/> puts down everything
/// up to the headers, then the header section follows, either from <see cref="WriteHeaders"/> or
/// copied from a decoded record.
/// </summary>
internal static class RecordEncoder
{
    /// <summary>The record's size after its length prefix, or -1 when it would not fit in an int.</summary>
    public static int SizeOfBody(long timestampDelta, int offsetDelta, int keyLength, int valueLength, int headersSectionSize)
    {
        var size = 1L
            + Varint.SizeOfInt64(timestampDelta)
            + Varint.SizeOfInt32(offsetDelta)
            + Varint.SizeOfInt32(keyLength) + Math.Max(keyLength, 0)
            + Varint.SizeOfInt32(valueLength) + Math.Max(valueLength, 0)
            + headersSectionSize;
        return size <= int.MaxValue - Varint.MaxInt32Bytes ? (int)size : -1;
    }

    /// <summary>The header section's size: the count, then each entry.</summary>
    public static int SizeOfHeaders(ReadOnlySpan<RecordHeaderData> headers)
    {
        long size = Varint.SizeOfInt32(headers.Length);
        foreach (var header in headers)
        {
            var keyLength = System.Text.Encoding.UTF8.GetByteCount(header.Key);
            var valueLength = header.IsValueNull ? -1 : header.Value.Length;
            size += Varint.SizeOfInt32(keyLength) + keyLength + Varint.SizeOfInt32(valueLength) + Math.Max(valueLength, 0);
        }
        return size <= int.MaxValue ? (int)size : throw new ArgumentException("the headers are too large for one record");
    }

    /// <summary>
    /// Writes the length prefix and every field up to (not including) the header section. Returns
    /// the bytes written; <paramref name="destination"/> must hold the whole record.
    /// </summary>
    public static int WriteFields(Span<byte> destination, int bodySize, long timestampDelta, int offsetDelta, NullableBytes key, NullableBytes value)
    {
        var position = Varint.WriteInt32(destination, bodySize);
        destination[position++] = 0; // attributes: unused
        position += Varint.WriteInt64(destination[position..], timestampDelta);
        position += Varint.WriteInt32(destination[position..], offsetDelta);
        position += WriteNullableBytes(destination[position..], key);
        position += WriteNullableBytes(destination[position..], value);
        return position;
    }

    /// <summary>Writes the header count and entries; returns the bytes written.</summary>
    public static int WriteHeaders(Span<byte> destination, ReadOnlySpan<RecordHeaderData> headers)
    {
        var position = Varint.WriteInt32(destination, headers.Length);
        foreach (var header in headers)
        {
            var keyLength = System.Text.Encoding.UTF8.GetByteCount(header.Key);
            position += Varint.WriteInt32(destination[position..], keyLength);
            position += System.Text.Encoding.UTF8.GetBytes(header.Key, destination[position..]);
            if (header.IsValueNull)
            {
                position += Varint.WriteInt32(destination[position..], -1);
            }
            else
            {
                position += Varint.WriteInt32(destination[position..], header.Value.Length);
                header.Value.Span.CopyTo(destination[position..]);
                position += header.Value.Length;
            }
        }
        return position;
    }

    private static int WriteNullableBytes(Span<byte> destination, NullableBytes bytes)
    {
        var position = Varint.WriteInt32(destination, bytes.EncodedLength);
        if (!bytes.IsNull)
        {
            bytes.Span.CopyTo(destination[position..]);
            position += bytes.Span.Length;
        }
        return position;
    }
}
