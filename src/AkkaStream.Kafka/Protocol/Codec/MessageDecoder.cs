using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Protocol.Wire;

namespace AkkaStream.Kafka.Protocol.Codec;

/// <summary>
/// Decodes any declared struct at any version from bytes, driven by its <see cref="StructSchema"/>:
/// the one place that knows how a field of each type is laid out, so no API has parsing code of its
/// own. Fields a version does not carry decode to their defaults; in flexible versions each struct
/// ends with a tagged-field section, whose known tags are decoded and unknown tags skipped.
/// Bad input fails with a reason and never throws; an array count is checked against the bytes that
/// remain (each element takes at least <see cref="MinimumWireSize"/> bytes) before anything is
/// allocated, so a frame cannot make the decoder allocate more than a small multiple of its size.
/// Stateless and thread-safe.
/// </summary>
public static class MessageDecoder
{
    public static bool TryDecode(ReadOnlySpan<byte> source, StructSchema schema, short version, bool flexible,
        out MessageStruct message, out int consumed, out string? error)
    {
        var reader = new WireReader(source);
        var ok = TryReadStruct(ref reader, schema, version, flexible, out message);
        consumed = reader.Position;
        error = ok ? null : $"{schema.Name} v{version}: {reader.Error}";
        return ok;
    }

    private static bool TryReadStruct(ref WireReader reader, StructSchema schema, short version, bool flexible, out MessageStruct message)
    {
        message = schema.NewDefault();
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var field = schema.Fields[i];
            if (!field.IsPresentIn(version) || (flexible && field.IsTaggedIn(version))) continue;
            if (!TryReadValue(ref reader, field, version, flexible, out var value)) return false;
            message.Set(i, value);
        }
        return !flexible || TryReadTaggedFields(ref reader, schema, version, message);
    }

    private static bool TryReadTaggedFields(ref WireReader reader, StructSchema schema, short version, MessageStruct message)
    {
        if (!reader.TryReadUnsignedVarint(out var count)) return false;
        for (var n = 0u; n < count; n++)
        {
            if (!reader.TryReadUnsignedVarint(out var tag) || !reader.TryReadUnsignedVarint(out var size)) return false;
            if (size > reader.Remaining) return reader.Fail($"tagged field {tag} declares {size} bytes but only {reader.Remaining} remain");
            if (!reader.TrySlice((int)size, out var payload)) return false;
            var index = IndexOfTag(schema, version, tag);
            if (index < 0) continue; // an unknown tag is skipped: newer peers may add tags we do not know
            var field = schema.Fields[index];
            var inner = new WireReader(payload);
            if (!TryReadValue(ref inner, field, version, flexible: true, out var value))
            {
                return reader.Fail($"tagged field {field.Name}: {inner.Error}");
            }
            if (inner.Remaining != 0) return reader.Fail($"tagged field {field.Name} has {inner.Remaining} bytes left over");
            message.Set(index, value);
        }
        return true;
    }

    private static int IndexOfTag(StructSchema schema, short version, uint tag)
    {
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var field = schema.Fields[i];
            if (field.Tag == tag && field.IsTaggedIn(version)) return i;
        }
        return -1;
    }

    private static bool TryReadValue(ref WireReader reader, FieldSchema field, short version, bool flexible, out object? value) =>
        TryReadValue(ref reader, field.Type, field.IsNullableIn(version), field.Name, version, flexible, out value);

    private static bool TryReadValue(ref WireReader reader, FieldType type, bool nullable, string name, short version, bool flexible, out object? value)
    {
        value = null;
        switch (type)
        {
            case FieldType.Primitive p:
                return TryReadPrimitive(ref reader, p.Kind, nullable, name, flexible, out value);
            case FieldType.ArrayOf a:
                if (!reader.TryReadLength(flexible ? LengthForm.Compact : LengthForm.Int32, out var count)) return false;
                if (count < 0) return nullable || reader.Fail($"{name} is null but not nullable in v{version}");
                // Checked before allocating: a hostile count cannot make us allocate beyond the frame.
                if (count > reader.Remaining / MinimumWireSize(a.Element, version, flexible))
                {
                    return reader.Fail($"{name} declares {count} elements but only {reader.Remaining} bytes remain");
                }
                var items = new object?[count];
                for (var i = 0; i < count; i++)
                {
                    if (!TryReadValue(ref reader, a.Element, nullable: false, name, version, flexible, out items[i])) return false;
                }
                value = items;
                return true;
            case FieldType.Struct s:
                var ok = TryReadStruct(ref reader, s.Schema, version, flexible, out var nested);
                value = nested;
                return ok;
            default:
                return reader.Fail($"{name} has an unknown type {type}");
        }
    }

    private static bool TryReadPrimitive(ref WireReader reader, PrimitiveKind kind, bool nullable, string name, bool flexible, out object? value)
    {
        value = null;
        switch (kind)
        {
            case PrimitiveKind.Int8: { var ok = reader.TryReadInt8(out var v); value = v; return ok; }
            case PrimitiveKind.Int16: { var ok = reader.TryReadInt16(out var v); value = v; return ok; }
            case PrimitiveKind.UInt16: { var ok = reader.TryReadUInt16(out var v); value = v; return ok; }
            case PrimitiveKind.Int32: { var ok = reader.TryReadInt32(out var v); value = v; return ok; }
            case PrimitiveKind.UInt32: { var ok = reader.TryReadUInt32(out var v); value = v; return ok; }
            case PrimitiveKind.Int64: { var ok = reader.TryReadInt64(out var v); value = v; return ok; }
            case PrimitiveKind.Float64: { var ok = reader.TryReadFloat64(out var v); value = v; return ok; }
            case PrimitiveKind.Boolean: { var ok = reader.TryReadBoolean(out var v); value = v; return ok; }
            case PrimitiveKind.Uuid: { var ok = reader.TryReadUuid(out var v); value = v; return ok; }
            case PrimitiveKind.String:
            {
                if (!reader.TryReadLength(flexible ? LengthForm.Compact : LengthForm.Int16, out var length)) return false;
                if (length < 0) return nullable || reader.Fail($"{name} is null but not nullable");
                var ok = reader.TryReadUtf8(length, out var s);
                value = s;
                return ok;
            }
            default: // bytes and records
            {
                if (!reader.TryReadLength(flexible ? LengthForm.Compact : LengthForm.Int32, out var length)) return false;
                if (length < 0) return nullable || reader.Fail($"{name} is null but not nullable");
                var ok = reader.TryReadBytes(length, out var b);
                value = b;
                return ok;
            }
        }
    }

    /// <summary>
    /// The fewest bytes one value of <paramref name="type"/> can take at this version (at least 1):
    /// the bound that keeps array allocations within the frame.
    /// </summary>
    internal static int MinimumWireSize(FieldType type, short version, bool flexible) => Math.Max(1, MinimumSize(type, version, flexible));

    private static int MinimumSize(FieldType type, short version, bool flexible) => type switch
    {
        FieldType.Primitive { Kind: PrimitiveKind.Int8 or PrimitiveKind.Boolean } => 1,
        FieldType.Primitive { Kind: PrimitiveKind.Int16 or PrimitiveKind.UInt16 } => 2,
        FieldType.Primitive { Kind: PrimitiveKind.Int32 or PrimitiveKind.UInt32 } => 4,
        FieldType.Primitive { Kind: PrimitiveKind.Int64 or PrimitiveKind.Float64 } => 8,
        FieldType.Primitive { Kind: PrimitiveKind.Uuid } => 16,
        FieldType.Primitive { Kind: PrimitiveKind.String } => flexible ? 1 : 2,
        FieldType.Primitive or FieldType.ArrayOf => flexible ? 1 : 4,
        FieldType.Struct s => s.Schema.Fields
            .Where(f => f.IsPresentIn(version) && !(flexible && f.IsTaggedIn(version)))
            .Sum(f => MinimumSize(f.Type, version, flexible)) + (flexible ? 1 : 0),
        _ => 1,
    };
}
