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
        var topics = MessageFields.Structs(request.Body, "Topics");
        var asks = new List<Task<OffsetForLeaderEpochResponse?>>();
        foreach (var topic in topics)
        {
            var name = topic.Get<string>("Topic");
            foreach (var partition in MessageFields.Structs(topic, "Partitions"))
            {
                asks.Add(GatewayAsk.AskAsync<OffsetForLeaderEpochResponse>(context, new OffsetForLeaderEpochRequest(name,
                    partition.Get<int>("Partition"), partition.Get<int>("LeaderEpoch"), partition.Get<int>("CurrentLeaderEpoch")),
                    context.AskTimeout, cancellation));
            }
        }
        await Task.WhenAll(asks).ConfigureAwait(false);

        var next = 0;
        var result = new object?[topics.Length];
        for (var t = 0; t < topics.Length; t++)
        {
            var partitions = MessageFields.Structs(topics[t], "Partitions");
            var answers = new object?[partitions.Length];
            for (var p = 0; p < partitions.Length; p++, next++)
            {
                var answer = asks[next].Result;
                answers[p] = PartitionSchema.NewDefault()
                    .With("ErrorCode", (short)(answer?.Error ?? ErrorCode.RequestTimedOut))
                    .With("Partition", partitions[p].Get<int>("Partition"))
                    .With("LeaderEpoch", answer?.LeaderEpoch ?? -1)
                    .With("EndOffset", answer?.EndOffset ?? -1L);
            }
            result[t] = TopicSchema.NewDefault().With("Topic", topics[t].Get<string>("Topic")).With("Partitions", answers);
        }
        return OffsetForLeaderEpochApi.Declaration.Response.NewDefault().With("Topics", result);
    }
}
