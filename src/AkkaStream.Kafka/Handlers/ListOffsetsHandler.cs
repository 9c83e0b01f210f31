using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// ListOffsets (2), v0-v5: one <see cref="ListOffsetsRequest"/> per partition to its leader:
/// earliest (-2), latest (-1), or the first offset whose timestamp is at or after a time. v0
/// answers a list of at most one offset. The timestamp of the record found is not reported (the
/// leader's answer does not carry it): -1, which clients use only for display. The isolation
/// level needs no handling: without transactions the last stable offset is the high watermark.
/// </summary>
public sealed class ListOffsetsHandler : IKafkaApiHandler
{
    private static readonly StructSchema TopicSchema = ListOffsetsApi.Declaration.Response.ElementOf("Topics");
    private static readonly StructSchema PartitionSchema = TopicSchema.ElementOf("Partitions");

    public ApiKey Key => ApiKey.ListOffsets;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var version = request.Header.ApiVersion;
        var topics = MessageFields.Structs(request.Body, "Topics");
        var answers = new List<(string Topic, int Partition, Task<ListOffsetsResponse?> Reply)>();
        foreach (var topic in topics)
        {
            var name = topic.Get<string>("Name");
            foreach (var partition in MessageFields.Structs(topic, "Partitions"))
            {
                var index = partition.Get<int>("PartitionIndex");
                var ask = new ListOffsetsRequest(name, index, partition.Get<long>("Timestamp"), partition.Get<int>("CurrentLeaderEpoch"));
                answers.Add((name, index, GatewayAsk.AskAsync<ListOffsetsResponse>(context, ask, context.AskTimeout, cancellation)));
            }
        }
        await Task.WhenAll(answers.Select(a => a.Reply)).ConfigureAwait(false);

        var result = new object?[topics.Length];
        var next = 0;
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = topics[t];
            var partitions = new object?[MessageFields.Structs(topic, "Partitions").Length];
            for (var p = 0; p < partitions.Length; p++, next++)
            {
                var (_, index, reply) = answers[next];
                var answer = reply.Result;
                var error = answer?.Error ?? ErrorCode.RequestTimedOut;
                var offset = error == ErrorCode.None ? answer!.Offset : -1;
                partitions[p] = PartitionSchema.NewDefault()
                    .With("PartitionIndex", index)
                    .With("ErrorCode", (short)error)
                    .With("OldStyleOffsets", version == 0 && offset >= 0 ? new object?[] { offset } : Array.Empty<object?>())
                    .With("Offset", offset)
                    .With("LeaderEpoch", error == ErrorCode.None ? answer!.LeaderEpoch : -1);
            }
            result[t] = TopicSchema.NewDefault().With("Name", topic.Get<string>("Name")).With("Partitions", partitions);
        }
        return ListOffsetsApi.Declaration.Response.NewDefault().With("Topics", result);
    }
}
