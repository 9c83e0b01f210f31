using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AkkaStream.Records.Checksums;

/// <summary>
/// CRC-32C (Castagnoli), as the record batch format uses it. Thread-safe (stateless).
/// </summary>
/// <remarks>
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> compiles to the SSE4.2 / ARMv8 CRC instruction
/// where the CPU has one. That instruction has a latency of three cycles but a throughput of one per
/// cycle, so a single dependent chain runs at a third of the possible speed. Long inputs are
/// therefore cut into blocks of three lanes whose CRCs are computed side by side and then joined:
/// the raw CRC register is linear over GF(2), so the state after lane A followed by lane B equals
/// "A's state advanced over <see cref="LaneBytes"/> zero bytes" XOR "B's state from zero". Advancing
/// over a fixed number of zero bytes is a linear map of 32 bits, precomputed once as four byte tables.
/// </remarks>
public static class Crc32C
{
    private const int LaneBytes = 2048;
    private const int BlockBytes = 3 * LaneBytes;
    private const int LaneWords = LaneBytes / sizeof(ulong);

    // ShiftTables[i][b] = the register after advancing (b << 8*i) over LaneBytes zero bytes.
    private static readonly uint[][] ShiftTables = BuildShiftTables();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(~0u, data);

    /// <summary>
    /// Advances a raw register (no pre- or post-inversion) over <paramref name="data"/>. Start from
    /// <c>~0u</c> and invert the result to get the standard checksum.
    /// </summary>
    public static uint Update(uint register, ReadOnlySpan<byte> data)
    {
        while (data.Length >= BlockBytes)
        {
            // One loop over the three lanes, so that their instructions are independent and overlap.
            var words = MemoryMarshal.Cast<byte, ulong>(data[..BlockBytes]);
            uint a = register, b = 0, c = 0;
            for (var i = 0; i < LaneWords; i++)
            {
                a = BitOperations.Crc32C(a, LittleEndian(words[i]));
                b = BitOperations.Crc32C(b, LittleEndian(words[LaneWords + i]));
                c = BitOperations.Crc32C(c, LittleEndian(words[2 * LaneWords + i]));
            }
            register = ShiftOverLane(ShiftOverLane(a) ^ b) ^ c;
            data = data[BlockBytes..];
        }
        return UpdateSerial(register, data);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ShiftOverLane(uint register)
    {
        var t = ShiftTables;
        return t[0][register & 0xFF] ^ t[1][(register >> 8) & 0xFF] ^ t[2][(register >> 16) & 0xFF] ^ t[3][register >> 24];
    }

    /// <summary>The instruction consumes a word in little-endian byte order, as the bytes lie in memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LittleEndian(ulong word) => BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);

    private static uint UpdateSerial(uint register, ReadOnlySpan<byte> data)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var word in words)
        {
            register = BitOperations.Crc32C(register, LittleEndian(word));
        }
        foreach (var b in data[(words.Length * sizeof(ulong))..])
        {
            register = BitOperations.Crc32C(register, b);
        }
        return register;
    }

    private static uint[][] BuildShiftTables()
    {
        Span<byte> zeros = stackalloc byte[LaneBytes];
        zeros.Clear();
        var basis = new uint[32];
        for (var bit = 0; bit < 32; bit++)
        {
            basis[bit] = UpdateSerial(1u << bit, zeros);
        }
        var tables = new uint[4][];
        for (var i = 0; i < 4; i++)
        {
            tables[i] = new uint[256];
            for (var b = 0; b < 256; b++)
            {
                uint value = 0;
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((b & (1 << bit)) != 0)
                    {
                        value ^= basis[8 * i + bit];
                    }
                }
                tables[i][b] = value;
            }
        }
        return tables;
    }
}
