using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers;

/// <summary>Reading and filling array fields of the message model, which holds them as <c>object?[]</c>. Stateless.</summary>
internal static class MessageFields
{
    /// <summary>The structs of an array field (none when it is null).</summary>
    public static MessageStruct[] Structs(MessageStruct message, string field)
    {
        var values = message.Get<object?[]?>(field);
        if (values is null) return [];
        var structs = new MessageStruct[values.Length];
        for (var i = 0; i < structs.Length; i++) structs[i] = (MessageStruct)values[i]!;
        return structs;
    }

    public static object?[] Int32s(IReadOnlyList<int> values)
    {
        var result = new object?[values.Count];
        for (var i = 0; i < result.Length; i++) result[i] = values[i];
        return result;
    }
}
