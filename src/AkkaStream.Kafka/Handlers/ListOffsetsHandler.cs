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
        var topics = await PartitionFanOut.AnswerEachAsync(request.Body, "Topics", "Name", TopicSchema, async (name, partition) =>
        {
            var index = partition.Get<int>("PartitionIndex");
            var ask = new ListOffsetsRequest(name, index, partition.Get<long>("Timestamp"), partition.Get<int>("CurrentLeaderEpoch"));
            var answer = await GatewayAsk.AskAsync<ListOffsetsResponse>(context, ask, context.AskTimeout, cancellation).ConfigureAwait(false);
            var error = answer?.Error ?? ErrorCode.RequestTimedOut;
            var offset = error == ErrorCode.None ? answer!.Offset : -1;
            return PartitionSchema.NewDefault()
                .With("PartitionIndex", index)
                .With("ErrorCode", (short)error)
                .With("OldStyleOffsets", version == 0 && offset >= 0 ? new object?[] { offset } : Array.Empty<object?>())
                .With("Offset", offset)
                .With("LeaderEpoch", error == ErrorCode.None ? answer!.LeaderEpoch : -1);
        }).ConfigureAwait(false);
        return ListOffsetsApi.Declaration.Response.NewDefault().With("Topics", topics);
    }
}
