namespace AkkaStream.Records.Tests.TestSupport;

/// <summary>
/// CRC-32C computed one bit at a time from its definition (reflected polynomial 0x82F63B78, initial
/// value and final XOR all ones). Slow and obviously right: the yardstick for the fast implementation.
/// </summary>
internal static class ReferenceCrc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            }
        }
        return ~crc;
    }
}
