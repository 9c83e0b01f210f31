using System.Buffers;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Protocol.Wire;

namespace AkkaStream.Kafka.Protocol.Codec;

/// <summary>
/// Encodes any declared struct at any version, the mirror of <see cref="MessageDecoder"/>. Fields
/// the version does not carry are left out; tagged fields are written only when they differ from
/// their default, in ascending tag order (as KIP-482 requires). A message that cannot be written
/// (null in a field that is not nullable at this version) is a bug in whoever built it and throws
/// <see cref="InvalidOperationException"/> naming the field. Stateless and thread-safe.
/// </summary>
public static class MessageEncoder
{
    public static void Encode(IBufferWriter<byte> output, MessageStruct message, short version, bool flexible) =>
        WriteStruct(new WireWriter(output), message, version, flexible);

    public static byte[] Encode(MessageStruct message, short version, bool flexible)
    {
        var output = new ArrayBufferWriter<byte>();
        Encode(output, message, version, flexible);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteStruct(WireWriter writer, MessageStruct message, short version, bool flexible)
    {
        var fields = message.Schema.Fields;
        List<int>? tagged = null;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (!field.IsPresentIn(version)) continue;
            if (flexible && field.IsTaggedIn(version))
            {
                if (!MessageStruct.ValueEquals(message[i], field.Default is StructSchema ? field.NewDefault() : field.Default)) (tagged ??= []).Add(i);
                continue;
            }
            WriteValue(writer, field.Type, field.IsNullableIn(version), message.Schema.Name + "." + field.Name, message[i], version, flexible);
        }
        if (!flexible) return;
        if (tagged is null)
        {
            writer.WriteUnsignedVarint(0);
            return;
        }
        tagged.Sort((a, b) => fields[a].Tag!.Value.CompareTo(fields[b].Tag!.Value));
        writer.WriteUnsignedVarint((uint)tagged.Count);
        foreach (var i in tagged)
        {
            // A tagged field is prefixed by its size, so it is written aside first.
            var payload = new ArrayBufferWriter<byte>();
            var field = fields[i];
            WriteValue(new WireWriter(payload), field.Type, field.IsNullableIn(version), message.Schema.Name + "." + field.Name, message[i], version, flexible);
            writer.WriteUnsignedVarint((uint)field.Tag!.Value);
            writer.WriteUnsignedVarint((uint)payload.WrittenCount);
            writer.WriteRaw(payload.WrittenSpan);
        }
    }

    private static void WriteValue(WireWriter writer, FieldType type, bool nullable, string name, object? value, short version, bool flexible)
    {
        if (value is null && !(nullable && type is FieldType.ArrayOf or FieldType.Primitive { Kind: PrimitiveKind.String or PrimitiveKind.Bytes or PrimitiveKind.Records }))
        {
            throw new InvalidOperationException($"{name} is null, but it is not nullable at v{version}");
        }
        switch (type)
        {
            case FieldType.ArrayOf a:
                var items = (object?[]?)value;
                writer.WriteLength(flexible ? LengthForm.Compact : LengthForm.Int32, items?.Length ?? -1);
                foreach (var item in items ?? []) WriteValue(writer, a.Element, nullable: false, name + "[]", item, version, flexible);
                return;
            case FieldType.Struct:
                WriteStruct(writer, (MessageStruct)value!, version, flexible);
                return;
        }
        switch (((FieldType.Primitive)type).Kind)
        {
            case PrimitiveKind.Int8: writer.WriteInt8((sbyte)value!); break;
            case PrimitiveKind.Int16: writer.WriteInt16((short)value!); break;
            case PrimitiveKind.UInt16: writer.WriteUInt16((ushort)value!); break;
            case PrimitiveKind.Int32: writer.WriteInt32((int)value!); break;
            case PrimitiveKind.UInt32: writer.WriteUInt32((uint)value!); break;
            case PrimitiveKind.Int64: writer.WriteInt64((long)value!); break;
            case PrimitiveKind.Float64: writer.WriteFloat64((double)value!); break;
            case PrimitiveKind.Boolean: writer.WriteBoolean((bool)value!); break;
            case PrimitiveKind.Uuid: writer.WriteUuid((Guid)value!); break;
            case PrimitiveKind.String: writer.WriteString(flexible ? LengthForm.Compact : LengthForm.Int16, (string?)value); break;
            default:
                var form = flexible ? LengthForm.Compact : LengthForm.Int32;
                if (value is null) writer.WriteLength(form, -1);
                else writer.WriteBytes(form, (byte[])value);
                break;
        }
    }
}
