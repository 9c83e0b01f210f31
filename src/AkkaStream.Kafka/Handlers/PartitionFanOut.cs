using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// The shape most per-partition APIs share (Produce, ListOffsets, OffsetForLeaderEpoch,
/// DeleteRecords): a request lists topics, each with partitions; every partition is asked of its
/// leader at once, and the response lists the same topics in the same order, each with one
/// answer per partition. Stateless.
/// </summary>
internal static class PartitionFanOut
{
    /// <param name="topicsField">The request's array of topics (the response's array is filled by the caller).</param>
    /// <param name="nameField">The topic name's field, named the same in request and response.</param>
    /// <param name="answer">One partition's answer from its request struct; started for every partition before any is awaited.</param>
    public static async Task<object?[]> AnswerEachAsync(MessageStruct request, string topicsField, string nameField, StructSchema responseTopic,
        Func<string, MessageStruct, Task<MessageStruct>> answer)
    {
        var topics = MessageFields.Structs(request, topicsField);
        var asked = new Task<MessageStruct[]>[topics.Length];
        for (var t = 0; t < topics.Length; t++)
        {
            var name = topics[t].Get<string>(nameField);
            asked[t] = Task.WhenAll(MessageFields.Structs(topics[t], "Partitions").Select(partition => answer(name, partition)));
        }
        var result = new object?[topics.Length];
        for (var t = 0; t < topics.Length; t++)
        {
            var partitions = await asked[t].ConfigureAwait(false);
            result[t] = responseTopic.NewDefault()
                .With(nameField, topics[t].Get<string>(nameField))
                .With("Partitions", Array.ConvertAll(partitions, p => (object?)p));
        }
        return result;
    }
}
