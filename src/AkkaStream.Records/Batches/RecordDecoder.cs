using AkkaStream.Records.Encoding;
using AkkaStream.Records.Errors;

namespace AkkaStream.Records.Batches;

/// <summary>
/// Decodes and checks one record of the (uncompressed) records section of a batch. Stateless, so
/// thread-safe. Every length is checked against what is left before it is used, so malformed input
/// ends in <see cref="CorruptRecordException"/>, never in an out-of-range read.
/// <code>
///  field             encoding               notes
///  length            varint                 bytes of the record after this field
///  attributes        int8                   unused, 0
///  timestampDelta    varlong                timestamp - batch baseTimestamp
///  offsetDelta       varint                 offset - batch baseOffset
///  keyLength         varint                 -1 = null key
///  key               keyLength bytes
///  valueLength       varint                 -1 = null value
///  value             valueLength bytes
///  headersCount      varint
///  headers[]         headerKeyLength: varint (never negative), headerKey: UTF-8,
///                    headerValueLength: varint (-1 = null), headerValue
/// </code>
/// Varints are zig-zag encoded (<see cref="Varint"/>), so -1 takes one byte (0x01).
/// </summary>
internal static class RecordDecoder
{
    /// <summary>attributes plus five one-byte varints: the smallest record after its length.</summary>
    public const int MinBodySize = 1 + 5;

    /// <summary>The smallest record, length prefix included.</summary>
    public const int MinRecordSize = 1 + MinBodySize;

    /// <summary>An empty key and a null value: the smallest header entry.</summary>
    public const int MinHeaderEntrySize = 2;

    private const int AttributesSize = 1;

    /// <summary>
    /// Decodes the record at the start of <paramref name="source"/>, which holds the rest of the
    /// records section. <paramref name="index"/> only names the record in error messages.
    /// </summary>
    public static Record Decode(ReadOnlySpan<byte> source, scoped in RecordBatchHeader batch, int index, out int size)
    {
        if (!Varint.TryReadInt32(source, out var length, out var prefix))
        {
            throw Corrupt(index, "its length is not a well-formed varint or is cut off");
        }
        if (length < MinBodySize || length > source.Length - prefix)
        {
            throw Corrupt(index, $"its length {length} is below {MinBodySize} or past the {source.Length - prefix} bytes left in the batch");
        }
        var body = source.Slice(prefix, length);
        var attributes = body[0];
        var position = AttributesSize;
        var timestampDelta = ReadInt64(body, ref position, index, "timestampDelta");
        var offsetDelta = ReadInt32(body, ref position, index, "offsetDelta");
        var key = ReadNullableBytes(body, ref position, index, "keyLength", out var isKeyNull);
        var value = ReadNullableBytes(body, ref position, index, "valueLength", out var isValueNull);
        var headerCount = ReadInt32(body, ref position, index, "headersCount");
        if (headerCount < 0 || headerCount > (body.Length - position) / MinHeaderEntrySize)
        {
            throw Corrupt(index, $"its header count {headerCount} is negative or more than {body.Length - position} bytes can hold");
        }
        var headersStart = position;
        for (var h = 0; h < headerCount; h++)
        {
            if (!TryReadHeaderEntry(body[position..], out _, out var consumed))
            {
                throw Corrupt(index, $"header {h} is malformed (bad varint, negative key length, or past the record's end)");
            }
            position += consumed;
        }
        if (position != body.Length)
        {
            throw Corrupt(index, $"its length says {body.Length} bytes but its fields take {position}");
        }
        size = prefix + length;
        var timestamp = batch.Attributes.TimestampType == TimestampType.LogAppendTime
            ? batch.MaxTimestamp
            : unchecked(batch.BaseTimestamp + timestampDelta);
        return new Record(
            unchecked(batch.BaseOffset + offsetDelta),
            timestamp,
            offsetDelta,
            timestampDelta,
            attributes,
            key,
            isKeyNull,
            value,
            isValueNull,
            headerCount,
            body[headersStart..],
            size);
    }

    /// <summary>Reads one header entry; false when it is malformed or runs past <paramref name="source"/>.</summary>
    public static bool TryReadHeaderEntry(ReadOnlySpan<byte> source, out RecordHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        if (!Varint.TryReadInt32(source, out var keyLength, out var position)
            || keyLength < 0
            || keyLength > source.Length - position)
        {
            return false;
        }
        var key = source.Slice(position, keyLength);
        position += keyLength;
        if (!Varint.TryReadInt32(source[position..], out var valueLength, out var valuePrefix)
            || valueLength < -1
            || valueLength > source.Length - position - valuePrefix)
        {
            return false;
        }
        position += valuePrefix;
        var isValueNull = valueLength == -1;
        var value = isValueNull ? default : source.Slice(position, valueLength);
        position += isValueNull ? 0 : valueLength;
        header = new RecordHeader(key, value, isValueNull);
        consumed = position;
        return true;
    }

    private static int ReadInt32(ReadOnlySpan<byte> body, scoped ref int position, int index, string field)
    {
        if (!Varint.TryReadInt32(body[position..], out var value, out var consumed))
        {
            throw Corrupt(index, $"its {field} is not a well-formed varint or runs past the record's end");
        }
        position += consumed;
        return value;
    }

    private static long ReadInt64(ReadOnlySpan<byte> body, scoped ref int position, int index, string field)
    {
        if (!Varint.TryReadInt64(body[position..], out var value, out var consumed))
        {
            throw Corrupt(index, $"its {field} is not a well-formed varlong or runs past the record's end");
        }
        position += consumed;
        return value;
    }

    private static ReadOnlySpan<byte> ReadNullableBytes(ReadOnlySpan<byte> body, scoped ref int position, int index, string lengthField, out bool isNull)
    {
        var length = ReadInt32(body, ref position, index, lengthField);
        if (length == -1)
        {
            isNull = true;
            return default;
        }
        if (length < -1 || length > body.Length - position)
        {
            throw Corrupt(index, $"its {lengthField} {length} is invalid or past the record's end ({body.Length - position} bytes left)");
        }
        isNull = false;
        var bytes = body.Slice(position, length);
        position += length;
        return bytes;
    }

    private static CorruptRecordException Corrupt(int index, string reason) =>
        new CorruptRecordException($"record {index} of the batch is corrupt: {reason}");
}
