namespace AkkaStream.Kafka.Protocol.Schema;

/// <summary>
/// The type of one field in a message declaration. Primitive types map to one .NET type each
/// (see <see cref="ClrType"/>), which is what the message model holds for them.
/// </summary>
public abstract record FieldType
{
    public static readonly FieldType Int8 = new Primitive(PrimitiveKind.Int8);
    public static readonly FieldType Int16 = new Primitive(PrimitiveKind.Int16);
    public static readonly FieldType UInt16 = new Primitive(PrimitiveKind.UInt16);
    public static readonly FieldType Int32 = new Primitive(PrimitiveKind.Int32);
    public static readonly FieldType UInt32 = new Primitive(PrimitiveKind.UInt32);
    public static readonly FieldType Int64 = new Primitive(PrimitiveKind.Int64);
    public static readonly FieldType Float64 = new Primitive(PrimitiveKind.Float64);
    public static readonly FieldType Boolean = new Primitive(PrimitiveKind.Boolean);
    public static readonly FieldType Uuid = new Primitive(PrimitiveKind.Uuid);
    public static readonly FieldType String = new Primitive(PrimitiveKind.String);
    public static readonly FieldType Bytes = new Primitive(PrimitiveKind.Bytes);

    /// <summary>A record set: on the wire exactly like (nullable) bytes; the codec never looks inside.</summary>
    public static readonly FieldType Records = new Primitive(PrimitiveKind.Records);

    public sealed record Primitive(PrimitiveKind Kind) : FieldType
    {
        public override string ToString() => Kind.ToString();
    }

    public sealed record ArrayOf(FieldType Element) : FieldType
    {
        public override string ToString() => $"[]{Element}";
    }

    public sealed record Struct(StructSchema Schema) : FieldType
    {
        public override string ToString() => Schema.Name;
    }

    /// <summary>The .NET type the message model holds for a value of this type.</summary>
    public Type ClrType => this switch
    {
        Primitive p => p.Kind switch
        {
            PrimitiveKind.Int8 => typeof(sbyte),
            PrimitiveKind.Int16 => typeof(short),
            PrimitiveKind.UInt16 => typeof(ushort),
            PrimitiveKind.Int32 => typeof(int),
            PrimitiveKind.UInt32 => typeof(uint),
            PrimitiveKind.Int64 => typeof(long),
            PrimitiveKind.Float64 => typeof(double),
            PrimitiveKind.Boolean => typeof(bool),
            PrimitiveKind.Uuid => typeof(Guid),
            PrimitiveKind.String => typeof(string),
            _ => typeof(byte[]),
        },
        ArrayOf => typeof(object?[]),
        _ => typeof(MessageStruct),
    };
}

public enum PrimitiveKind
{
    Int8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    Float64,
    Boolean,
    Uuid,
    String,
    Bytes,
    Records,
}
