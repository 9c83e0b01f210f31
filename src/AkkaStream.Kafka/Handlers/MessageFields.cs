using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers;

/// <summary>Reading and filling array fields of the message model, which holds them as <c>object?[]</c>. Stateless.</summary>
internal static class MessageFields
{
    private static readonly object?[] None = [];

    /// <summary>The structs of an array field (none when it is null).</summary>
    public static object?[] Structs(MessageStruct message, string field) => message.Get<object?[]?>(field) ?? None;

    public static object?[] Int32s(IReadOnlyList<int> values)
    {
        var result = new object?[values.Count];
        for (var i = 0; i < result.Length; i++) result[i] = values[i];
        return result;
    }
}
