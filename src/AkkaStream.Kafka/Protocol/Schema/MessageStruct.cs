using System.Text;

namespace AkkaStream.Kafka.Protocol.Schema;

/// <summary>
/// The message model: the values of one struct of a declaration, one per field, each held as the
/// .NET type its <see cref="FieldType"/> names (<c>short</c>, <c>string?</c>, <c>byte[]?</c>,
/// <c>object?[]</c> for arrays, <see cref="MessageStruct"/> for nested structs). Setting a value
/// of the wrong type fails at once, so a handler's mistake shows where it is made, not as bad
/// bytes on a client. Equality is structural (arrays and bytes by content). Not thread-safe.
/// </summary>
public sealed class MessageStruct : IEquatable<MessageStruct>
{
    private readonly object?[] _values;

    internal MessageStruct(StructSchema schema, object?[] values)
    {
        Schema = schema;
        _values = values;
    }

    public StructSchema Schema { get; }

    public object? this[string field]
    {
        get => _values[Schema.IndexOf(field)];
        set => Set(Schema.IndexOf(field), value);
    }

    internal object? this[int index] => _values[index];

    public T Get<T>(string field) => (T)this[field]!;

    public MessageStruct With(string field, object? value)
    {
        this[field] = value;
        return this;
    }

    internal void Set(int index, object? value)
    {
        var field = Schema.Fields[index];
        if (value is not null && value.GetType() != field.Type.ClrType)
        {
            throw new ArgumentException($"{Schema.Name}.{field.Name} is {field.Type} ({field.Type.ClrType.Name}), not {value.GetType().Name}");
        }
        _values[index] = value;
    }

    public bool Equals(MessageStruct? other)
    {
        if (other is null || !ReferenceEquals(Schema, other.Schema)) return false;
        for (var i = 0; i < _values.Length; i++)
        {
            if (!ValueEquals(_values[i], other._values[i])) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is MessageStruct other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Schema, _values.Length);

    public override string ToString()
    {
        var text = new StringBuilder(Schema.Name).Append(" { ");
        for (var i = 0; i < _values.Length; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(Schema.Fields[i].Name).Append(" = ").Append(Show(_values[i]));
        }
        return text.Append(" }").ToString();
    }

    /// <summary>Structural equality of two field values: bytes and arrays by content.</summary>
    public static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (object?[] x, object?[] y) => x.Length == y.Length && x.Select((value, i) => ValueEquals(value, y[i])).All(same => same),
        _ => a.Equals(b),
    };

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        byte[] b => $"bytes[{b.Length}]",
        object?[] a => "[" + string.Join(", ", a.Select(Show)) + "]",
        _ => value.ToString() ?? "",
    };
}
