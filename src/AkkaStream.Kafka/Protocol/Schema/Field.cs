namespace AkkaStream.Kafka.Protocol.Schema;

/// <summary>
/// The vocabulary message declarations are written in: one factory per field type, taking the
/// versions that carry the field ("3+", "0-5") and, where they apply, the versions in which it may
/// be null, its tag (tagged fields) and its default. Defaults follow Kafka's: 0 / false / "" /
/// empty unless the declaration says otherwise.
/// </summary>
public static class Field
{
    public static StructSchema Struct(string name, params FieldSchema[] fields) => new(name, fields);

    public static FieldSchema Int8(string name, Versions present, sbyte @default = 0, int? tag = null) =>
        new(name, FieldType.Int8, present, Versions.None, tag, @default);

    public static FieldSchema Int16(string name, Versions present, short @default = 0, int? tag = null) =>
        new(name, FieldType.Int16, present, Versions.None, tag, @default);

    public static FieldSchema Int32(string name, Versions present, int @default = 0, int? tag = null) =>
        new(name, FieldType.Int32, present, Versions.None, tag, @default);

    public static FieldSchema Int64(string name, Versions present, long @default = 0, int? tag = null) =>
        new(name, FieldType.Int64, present, Versions.None, tag, @default);

    public static FieldSchema Boolean(string name, Versions present, bool @default = false, int? tag = null) =>
        new(name, FieldType.Boolean, present, Versions.None, tag, @default);

    public static FieldSchema Uuid(string name, Versions present, int? tag = null) =>
        new(name, FieldType.Uuid, present, Versions.None, tag, Guid.Empty);

    public static FieldSchema String(string name, Versions present, Versions? nullable = null, string? @default = "", int? tag = null) =>
        new(name, FieldType.String, present, nullable ?? Versions.None, tag, @default);

    public static FieldSchema Bytes(string name, Versions present, Versions? nullable = null, int? tag = null) =>
        new(name, FieldType.Bytes, present, nullable ?? Versions.None, tag, System.Array.Empty<byte>());

    /// <summary>A record set; Kafka's default for one is null, so it is nullable wherever it is declared.</summary>
    public static FieldSchema RecordSet(string name, Versions present) =>
        new(name, FieldType.Records, present, present, null, null);

    public static FieldSchema Array(string name, Versions present, StructSchema element, Versions? nullable = null, int? tag = null) =>
        new(name, new FieldType.ArrayOf(new FieldType.Struct(element)), present, nullable ?? Versions.None, tag, System.Array.Empty<object?>());

    public static FieldSchema Array(string name, Versions present, FieldType element, Versions? nullable = null, int? tag = null) =>
        new(name, new FieldType.ArrayOf(element), present, nullable ?? Versions.None, tag, System.Array.Empty<object?>());

    public static FieldSchema Struct(string name, Versions present, StructSchema schema, int? tag = null) =>
        new(name, new FieldType.Struct(schema), present, Versions.None, tag, schema);
}
