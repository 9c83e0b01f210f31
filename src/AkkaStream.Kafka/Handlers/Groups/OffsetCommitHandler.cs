using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// OffsetCommit (8), v0-v8, onto one <see cref="OffsetCommitRequest"/> for all partitions. v0 is a
/// standalone commit (no generation, no member); v1's per-partition commit timestamp and v2-v4's
/// retention time are ignored, as Kafka 2.1+ ignores them (the coordinator stamps each commit and
/// keeps offsets for its own retention); v6 brings the leader epoch, v7 the group instance id. The
/// response has no top-level error, so a group-level error (a stale generation, an unknown member)
/// goes on every partition. Stateless, so thread-safe.
/// </summary>
public sealed class OffsetCommitHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.OffsetCommit;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var body = request.Body;
        var partitions = new List<OffsetCommitPartition>();
        foreach (var topic in MessageFields.Structs(body, "Topics"))
        {
            var name = topic.Get<string>("Name");
            foreach (var partition in MessageFields.Structs(topic, "Partitions"))
            {
                partitions.Add(new OffsetCommitPartition(name, partition.Get<int>("PartitionIndex"), partition.Get<long>("CommittedOffset"),
                    partition.Get<int>("CommittedLeaderEpoch"), partition.Get<string?>("CommittedMetadata")));
            }
        }
        var commit = new OffsetCommitRequest(body.Get<string>("GroupId"), body.Get<int>("GenerationIdOrMemberEpoch"), body.Get<string>("MemberId"),
            body.Get<string?>("GroupInstanceId"), partitions);
        var committed = await context.AskGroupAsync<OffsetCommitResponse>(commit, cancellation).ConfigureAwait(false);

        var errors = new Dictionary<(string, int), ErrorCode>();
        foreach (var result in committed.Partitions) errors[(result.Topic, result.Partition)] = result.Error;
        var topicSchema = request.Api.Response.ElementOf("Topics");
        var partitionSchema = topicSchema.ElementOf("Partitions");
        return request.Api.Response.NewDefault().With("Topics", MessageFields.Structs(body, "Topics").Select(t =>
        {
            var name = t.Get<string>("Name");
            return (object?)topicSchema.NewDefault()
                .With("Name", name)
                .With("Partitions", MessageFields.Structs(t, "Partitions").Select(p =>
                {
                    var index = p.Get<int>("PartitionIndex");
                    var error = errors.TryGetValue((name, index), out var own) ? own : committed.Error;
                    return (object?)partitionSchema.NewDefault().With("PartitionIndex", index).With("ErrorCode", (short)error);
                }).ToArray());
        }).ToArray());
    }
}
