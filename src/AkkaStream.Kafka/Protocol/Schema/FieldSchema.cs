namespace AkkaStream.Kafka.Protocol.Schema;

/// <summary>
/// One field of a message declaration: its name and type, the versions that carry it, the
/// versions in which it may be null, and, for a tagged field, its tag (a tagged field lives in the
/// struct's tagged-field section, is written only when it differs from its default, and is
/// skipped by readers that do not know it). <see cref="Default"/> is the value a version that does
/// not carry the field (or a tagged field left out) decodes to.
/// </summary>
public sealed record FieldSchema(string Name, FieldType Type, Versions Present, Versions Nullable, int? Tag, object? Default)
{
    public bool IsPresentIn(short version) => Present.Contains(version);

    public bool IsNullableIn(short version) => Nullable.Contains(version);

    /// <summary>Tagged fields exist only in flexible versions, and only from the versions that carry them.</summary>
    public bool IsTaggedIn(short version) => Tag is not null && Present.Contains(version);

    /// <summary>
    /// A fresh default: struct defaults are built anew because the message model is mutable, and
    /// two messages must never share a nested struct.
    /// </summary>
    public object? NewDefault() => Default is StructSchema s ? s.NewDefault() : Default;

    public override string ToString() => $"{Name} {Type} {Present}";
}
