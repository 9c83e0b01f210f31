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
        var topics = await Task.WhenAll(request.Body.Structs("Topics").Select(async topic =>
        {
            var name = topic.Get<string>("Name");
            var partitions = await Task.WhenAll(topic.Structs("Partitions").Select(p => context.AskAsync<DeleteRecordsResponse>(
                new DeleteRecordsRequest(name, p.Get<int>("PartitionIndex"), p.Get<long>("Offset")), cancellation)));
            return (object?)topicSchema.NewDefault()
                .With("Name", name)
                .With("Partitions", partitions.Select(r => (object?)partitionSchema.NewDefault()
                    .With("PartitionIndex", r.Partition)
                    .With("LowWatermark", r.LowWatermark)
                    .With("ErrorCode", (short)r.Error)).ToArray());
        }));
        response["Topics"] = topics;
        return response;
    }
}
