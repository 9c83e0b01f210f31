namespace AkkaStream.Kafka.Protocol.Schema;

/// <summary>
/// A struct in a message declaration: a top-level request or response body, or the element of an
/// array of structs. Fields are in wire order, which is the order Kafka's definitions list them.
/// </summary>
public sealed class StructSchema
{
    private readonly Dictionary<string, int> _indexByName;

    public StructSchema(string name, IReadOnlyList<FieldSchema> fields)
    {
        Name = name;
        Fields = fields;
        _indexByName = new Dictionary<string, int>(fields.Count, StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            if (!_indexByName.TryAdd(fields[i].Name, i)) throw new ArgumentException($"{name} declares {fields[i].Name} twice");
        }
        var tags = fields.Where(f => f.Tag is not null).Select(f => f.Tag!.Value).ToList();
        if (tags.Count != tags.Distinct().Count()) throw new ArgumentException($"{name} declares a tag twice");
    }

    public string Name { get; }

    public IReadOnlyList<FieldSchema> Fields { get; }

    public int IndexOf(string field) =>
        _indexByName.TryGetValue(field, out var i) ? i : throw new KeyNotFoundException($"{Name} has no field {field}");

    /// <summary>The element struct of an array-of-structs field: what a builder of a message needs to fill that array.</summary>
    public StructSchema ElementOf(string arrayField) =>
        Fields[IndexOf(arrayField)].Type is FieldType.ArrayOf { Element: FieldType.Struct s }
            ? s.Schema
            : throw new ArgumentException($"{Name}.{arrayField} is not an array of structs");

    public MessageStruct NewDefault()
    {
        var values = new object?[Fields.Count];
        for (var i = 0; i < values.Length; i++) values[i] = Fields[i].NewDefault();
        return new MessageStruct(this, values);
    }

    public override string ToString() => Name;
}
