using System.Text;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Tests.Support;

/// <summary>
/// Builds a message for a declaration at one version with a value in every field that version
/// carries (the rest keep their defaults, which is what decoding gives them): random but seeded,
/// with nulls where the version allows them, tagged fields sometimes set, and non-ASCII strings.
/// </summary>
internal static class SampleMessages
{
    public static MessageStruct Build(StructSchema schema, short version, bool flexible, int seed) =>
        BuildStruct(schema, version, flexible, new Random(seed), depth: 0);

    private static MessageStruct BuildStruct(StructSchema schema, short version, bool flexible, Random random, int depth)
    {
        var message = schema.NewDefault();
        foreach (var field in schema.Fields)
        {
            if (!field.IsPresentIn(version)) continue;
            if (flexible && field.IsTaggedIn(version) && random.Next(3) == 0) continue; // left at its default: not written
            message[field.Name] = field.IsNullableIn(version) && random.Next(4) == 0
                ? null
                : Value(field.Type, version, flexible, random, depth);
        }
        return message;
    }

    private static object Value(FieldType type, short version, bool flexible, Random random, int depth) => type switch
    {
        FieldType.ArrayOf a => Enumerable.Range(0, random.Next(depth > 2 ? 2 : 4)).Select(_ => (object?)Value(a.Element, version, flexible, random, depth + 1)).ToArray(),
        FieldType.Struct s => BuildStruct(s.Schema, version, flexible, random, depth + 1),
        FieldType.Primitive p => p.Kind switch
        {
            PrimitiveKind.Int8 => (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue),
            PrimitiveKind.Int16 => (short)random.Next(short.MinValue, short.MaxValue),
            PrimitiveKind.UInt16 => (ushort)random.Next(ushort.MaxValue),
            PrimitiveKind.Int32 => random.Next(int.MinValue, int.MaxValue),
            PrimitiveKind.UInt32 => (uint)random.NextInt64(uint.MaxValue),
            PrimitiveKind.Int64 => random.NextInt64(long.MinValue, long.MaxValue),
            PrimitiveKind.Float64 => random.NextDouble(),
            PrimitiveKind.Boolean => random.Next(2) == 1,
            PrimitiveKind.Uuid => Guid.NewGuid(),
            PrimitiveKind.String => RandomString(random),
            _ => RandomBytes(random),
        },
        _ => throw new ArgumentException(type.ToString()),
    };

    private static string RandomString(Random random)
    {
        var text = new StringBuilder();
        var length = random.Next(0, 12);
        for (var i = 0; i < length; i++) text.Append(random.Next(8) == 0 ? 'é' : (char)random.Next('a', 'z' + 1));
        return text.ToString();
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 40)];
        random.NextBytes(bytes);
        return bytes;
    }
}
