using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// DeleteRecords 0-1: raises each partition's log start offset (offset -1: to the high
/// watermark). The gateway sends each partition to its leader entity; a broker that does not lead
/// the partition answers NotLeaderOrFollower, as Kafka does, and the client asks the leader.
/// Stateless, so thread-safe.
/// </summary>
public sealed class DeleteRecordsHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.DeleteRecords;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var response = request.Api.Response.NewDefault();
        var topicSchema = response.Schema.ElementOf("Topics");
        var partitionSchema = topicSchema.ElementOf("Partitions");
        response["Topics"] = await PartitionFanOut.AnswerEachAsync(request.Body, "Topics", "Name", topicSchema, async (name, partition) =>
        {
            var answer = await context.AskAsync<DeleteRecordsResponse>(
                new DeleteRecordsRequest(name, partition.Get<int>("PartitionIndex"), partition.Get<long>("Offset")), cancellation).ConfigureAwait(false);
            return partitionSchema.NewDefault()
                .With("PartitionIndex", answer.Partition)
                .With("LowWatermark", answer.LowWatermark)
                .With("ErrorCode", (short)answer.Error);
        }).ConfigureAwait(false);
        return response;
    }
}
