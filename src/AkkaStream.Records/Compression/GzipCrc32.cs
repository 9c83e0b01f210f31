using System.Buffers.Binary;

namespace AkkaStream.Records.Compression;

/// <summary>
/// The CRC-32 a gzip trailer carries (ISO-HDLC, as zlib computes it: reflected polynomial
/// 0xEDB88320, register preset to all ones and inverted at the end). Not the CRC-32C of record
/// batches. Thread-safe (stateless).
/// </summary>
/// <remarks>
/// Table-driven "slicing by 8": eight tables let one step consume eight bytes, where
/// <c>Tables[k][b]</c> is the register after byte <c>b</c> is followed by <c>k</c> zero bytes.
/// </remarks>
internal static class GzipCrc32
{
    private const uint ReflectedPolynomial = 0xEDB88320;
    private const int TableSize = 256;
    private const int SliceBytes = 8;
    private const int ByteMask = 0xFF;

    private static readonly uint[][] Tables = BuildTables();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(~0u, data);

    /// <summary>
    /// Advances a raw register (no pre- or post-inversion) over <paramref name="data"/>. Start from
    /// <c>~0u</c> and invert the result to get the checksum.
    /// </summary>
    public static uint Update(uint register, ReadOnlySpan<byte> data)
    {
        var t = Tables;
        while (data.Length >= SliceBytes)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ register;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[sizeof(uint)..]);
            register =
                t[7][low & ByteMask] ^ t[6][(low >> 8) & ByteMask] ^ t[5][(low >> 16) & ByteMask] ^ t[4][low >> 24] ^
                t[3][high & ByteMask] ^ t[2][(high >> 8) & ByteMask] ^ t[1][(high >> 16) & ByteMask] ^ t[0][high >> 24];
            data = data[SliceBytes..];
        }
        foreach (var b in data)
        {
            register = t[0][(register ^ b) & ByteMask] ^ (register >> 8);
        }
        return register;
    }

    private static uint[][] BuildTables()
    {
        var tables = new uint[SliceBytes][];
        for (var k = 0; k < SliceBytes; k++)
        {
            tables[k] = new uint[TableSize];
        }
        for (uint b = 0; b < TableSize; b++)
        {
            var register = b;
            for (var bit = 0; bit < 8; bit++)
            {
                register = (register & 1) != 0 ? (register >> 1) ^ ReflectedPolynomial : register >> 1;
            }
            tables[0][b] = register;
        }
        for (var k = 1; k < SliceBytes; k++)
        {
            for (var b = 0; b < TableSize; b++)
            {
                var previous = tables[k - 1][b];
                tables[k][b] = (previous >> 8) ^ tables[0][previous & ByteMask];
            }
        }
        return tables;
    }
}
