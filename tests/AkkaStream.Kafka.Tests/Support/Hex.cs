using System.Globalization;

namespace AkkaStream.Kafka.Tests.Support;

/// <summary>Byte vectors written by hand: one field per string, hex bytes separated by spaces.</summary>
internal static class Hex
{
    public static byte[] Bytes(params string[] fields) =>
        fields.SelectMany(f => f.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToArray();

    public static string Show(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
