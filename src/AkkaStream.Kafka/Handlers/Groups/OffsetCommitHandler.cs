using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>OffsetCommit (8), v0-v8: the error on every partition the request names (the response has no top-level error).</summary>
public sealed class OffsetCommitHandler() : CoordinatorNotAvailableHandler(OffsetCommitApi.Declaration)
{
    private static readonly StructSchema TopicSchema = OffsetCommitApi.Declaration.Response.ElementOf("Topics");
    private static readonly StructSchema PartitionSchema = TopicSchema.ElementOf("Partitions");

    protected override void Answer(MessageStruct request, short version, MessageStruct response) =>
        response["Topics"] = MessageFields.Structs(request, "Topics").Select(t => (object?)TopicSchema.NewDefault()
            .With("Name", t.Get<string>("Name"))
            .With("Partitions", MessageFields.Structs(t, "Partitions").Select(p => (object?)PartitionSchema.NewDefault()
                .With("PartitionIndex", p.Get<int>("PartitionIndex"))
                .With("ErrorCode", Error)).ToArray()))
            .ToArray();
}
