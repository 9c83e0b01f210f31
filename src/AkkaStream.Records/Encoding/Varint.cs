namespace AkkaStream.Records.Encoding;

/// <summary>
/// Protocol-buffers varints as the record format uses them: signed values are zig-zag encoded
/// (<c>(v &lt;&lt; 1) ^ (v &gt;&gt; 63)</c>), 7 bits per byte, low bits first. Thread-safe (stateless).
/// The Try-methods report how many bytes they consumed or wrote, and fail rather than read past the span.
/// </summary>
public static class Varint
{
    public const int MaxInt32Bytes = 5;
    public const int MaxInt64Bytes = 10;

    public static int SizeOfInt32(int value) => SizeOfUnsigned(ZigZag(value));

    public static int SizeOfInt64(long value) => SizeOfUnsigned(ZigZag(value));

    public static int SizeOfUnsigned(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int WriteInt32(Span<byte> destination, int value) => WriteUnsigned(destination, ZigZag(value));

    public static int WriteInt64(Span<byte> destination, long value) => WriteUnsigned(destination, ZigZag(value));

    public static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static bool TryReadInt32(ReadOnlySpan<byte> source, out int value, out int consumed)
    {
        if (TryReadUnsigned(source, MaxInt32Bytes, out var raw, out consumed) && raw <= uint.MaxValue)
        {
            var u = (uint)raw;
            value = (int)(u >> 1) ^ -(int)(u & 1);
            return true;
        }
        value = 0;
        consumed = 0;
        return false;
    }

    public static bool TryReadInt64(ReadOnlySpan<byte> source, out long value, out int consumed)
    {
        if (TryReadUnsigned(source, MaxInt64Bytes, out var raw, out consumed))
        {
            value = (long)(raw >> 1) ^ -(long)(raw & 1);
            return true;
        }
        value = 0;
        return false;
    }

    public static bool TryReadUnsigned(ReadOnlySpan<byte> source, int maxBytes, out ulong value, out int consumed)
    {
        value = 0;
        var shift = 0;
        maxBytes = Math.Min(maxBytes, MaxInt64Bytes);
        for (var i = 0; i < source.Length && i < maxBytes; i++)
        {
            var b = source[i];
            if (shift == 63 && b > 1)
            {
                // The tenth byte holds only bit 63: anything more would be silently shifted out.
                break;
            }
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                consumed = i + 1;
                return true;
            }
            shift += 7;
        }
        consumed = 0;
        value = 0;
        return false;
    }

    private static ulong ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
