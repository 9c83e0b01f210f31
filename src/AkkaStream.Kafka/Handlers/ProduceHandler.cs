using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// Produce (0), v3-v8: one <see cref="ProduceRequest"/> per partition to the gateway, all at once,
/// carrying the record batches as the client sent them (the leader validates them and checks an
/// idempotent producer's sequences). acks=0 is sent the same way; the connection sends no response.
/// A leader that does not answer within the request's timeout (plus a margin for the hop) is
/// reported RequestTimedOut: the batch may still be appended, as in Kafka.
/// </summary>
public sealed class ProduceHandler : IKafkaApiHandler
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);
    private static readonly StructSchema TopicSchema = ProduceApi.Declaration.Response.ElementOf("Responses");
    private static readonly StructSchema PartitionSchema = TopicSchema.ElementOf("Partitions");

    public ApiKey Key => ApiKey.Produce;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var body = request.Body;
        var acksValue = body.Get<short>("Acks");
        var timeoutMs = Math.Max(0, body.Get<int>("TimeoutMs"));
        var askTimeout = TimeSpan.FromMilliseconds(timeoutMs) + Margin;
        var responses = await PartitionFanOut.AnswerEachAsync(body, "Topics", "Name", TopicSchema, async (topic, partition) =>
        {
            var index = partition.Get<int>("PartitionIndex");
            var answer = await Send(context, topic, index, acksValue, timeoutMs, partition.Get<byte[]?>("Records"), askTimeout, cancellation).ConfigureAwait(false)
                ?? ProduceResponse.Failed(topic, index, ErrorCode.RequestTimedOut, "the leader did not answer in time");
            return PartitionSchema.NewDefault()
                .With("PartitionIndex", index)
                .With("ErrorCode", (short)answer.Error)
                .With("BaseOffset", answer.BaseOffset)
                .With("LogAppendTimeMs", answer.LogAppendTime)
                .With("LogStartOffset", answer.LogStartOffset)
                .With("ErrorMessage", answer.Error == ErrorCode.None ? null : answer.ErrorMessage);
        }).ConfigureAwait(false);
        return ProduceApi.Declaration.Response.NewDefault().With("Responses", responses);
    }

    private static Task<ProduceResponse?> Send(KafkaRequestContext context, string topic, int partition, short acksValue, int timeoutMs,
        byte[]? records, TimeSpan askTimeout, CancellationToken cancellation)
    {
        if (acksValue is not (0 or 1 or -1))
        {
            return Task.FromResult<ProduceResponse?>(ProduceResponse.Failed(topic, partition, ErrorCode.InvalidRequiredAcks, $"acks={acksValue}"));
        }
        if (records is null || records.Length == 0)
        {
            return Task.FromResult<ProduceResponse?>(ProduceResponse.Failed(topic, partition, ErrorCode.CorruptMessage, "no record batch"));
        }
        return GatewayAsk.AskAsync<ProduceResponse>(context,
            new ProduceRequest(topic, partition, (Acks)acksValue, timeoutMs, -1, records), askTimeout, cancellation);
    }
}
