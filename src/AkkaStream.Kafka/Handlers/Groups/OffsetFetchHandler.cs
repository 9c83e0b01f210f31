using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// OffsetFetch (9), v0-v7, onto <see cref="OffsetFetchRequest"/>. From v2 a null topic list asks
/// for every offset the group committed, and the response has a top-level error; v0 and v1 have
/// none, so a group-level error goes on every partition, where those clients look. v5 brings the
/// leader epoch. A partition with no committed offset (the coordinator answers an unknown group
/// so too) is offset -1 with no error and empty metadata, as in Kafka. v7's
/// require-stable needs no handling: AkkaStream has no transactions, so no commit is ever pending.
/// Stateless, so thread-safe.
/// </summary>
public sealed class OffsetFetchHandler : IKafkaApiHandler
{
    private const short FirstTopLevelErrorVersion = 2;

    public ApiKey Key => ApiKey.OffsetFetch;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var body = request.Body;
        var asked = body.Get<object?[]?>("Topics") is null ? null : MessageFields.Structs(body, "Topics");
        var partitions = asked?.SelectMany(t => t.Get<object?[]>("PartitionIndexes").Select(p => new TopicPartitionRef(t.Get<string>("Name"), (int)p!))).ToList();
        var fetched = await context.AskGroupAsync<OffsetFetchResponse>(new OffsetFetchRequest(body.Get<string>("GroupId"), partitions), cancellation)
            .ConfigureAwait(false);

        var topLevel = request.Header.ApiVersion >= FirstTopLevelErrorVersion;
        var partitionError = topLevel ? ErrorCode.None : fetched.Error;
        var committed = new Dictionary<(string, int), CommittedOffset>();
        foreach (var offset in fetched.Partitions) committed[(offset.Topic, offset.Partition)] = offset;
        // Every partition asked for, in the order asked; with no list, every committed one.
        var answered = partitions ?? [.. fetched.Partitions.Select(o => new TopicPartitionRef(o.Topic, o.Partition))];

        var topicSchema = request.Api.Response.ElementOf("Topics");
        var partitionSchema = topicSchema.ElementOf("Partitions");
        var topics = answered.GroupBy(p => p.Topic).Select(topic => (object?)topicSchema.NewDefault()
            .With("Name", topic.Key)
            .With("Partitions", topic.Select(p =>
            {
                var offset = committed.GetValueOrDefault((p.Topic, p.Partition));
                return (object?)partitionSchema.NewDefault()
                    .With("PartitionIndex", p.Partition)
                    .With("CommittedOffset", offset?.Offset ?? -1L)
                    .With("CommittedLeaderEpoch", offset?.LeaderEpoch ?? -1)
                    .With("Metadata", offset?.Metadata ?? "")
                    .With("ErrorCode", (short)(offset is { Error: not ErrorCode.None } ? offset.Error : partitionError));
            }).ToArray())).ToArray();
        return request.Api.Response.NewDefault()
            .With("ErrorCode", (short)(topLevel ? fetched.Error : ErrorCode.None))
            .With("Topics", topics);
    }
}
