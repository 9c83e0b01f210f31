using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// OffsetForLeaderEpoch (23), v0-v3: one <see cref="OffsetForLeaderEpochRequest"/> per partition to
/// its leader, answered from the leader's epoch cache. (Followers of AkkaStream do not use this
/// API; they learn of divergence in their fetch answers. Consumers use it after a leader change.)
/// </summary>
public sealed class OffsetForLeaderEpochHandler : IKafkaApiHandler
{
    private static readonly StructSchema TopicSchema = OffsetForLeaderEpochApi.Declaration.Response.ElementOf("Topics");
    private static readonly StructSchema PartitionSchema = TopicSchema.ElementOf("Partitions");

    public ApiKey Key => ApiKey.OffsetForLeaderEpoch;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var topics = await PartitionFanOut.AnswerEachAsync(request.Body, "Topics", "Topic", TopicSchema, async (name, partition) =>
        {
            var index = partition.Get<int>("Partition");
            var ask = new OffsetForLeaderEpochRequest(name, index, partition.Get<int>("LeaderEpoch"), partition.Get<int>("CurrentLeaderEpoch"));
            var answer = await GatewayAsk.AskAsync<OffsetForLeaderEpochResponse>(context, ask, context.AskTimeout, cancellation).ConfigureAwait(false);
            return PartitionSchema.NewDefault()
                .With("ErrorCode", (short)(answer?.Error ?? ErrorCode.RequestTimedOut))
                .With("Partition", index)
                .With("LeaderEpoch", answer?.LeaderEpoch ?? -1)
                .With("EndOffset", answer?.EndOffset ?? -1L);
        }).ConfigureAwait(false);
        return OffsetForLeaderEpochApi.Declaration.Response.NewDefault().With("Topics", topics);
    }
}
