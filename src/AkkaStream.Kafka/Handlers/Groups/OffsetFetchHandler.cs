using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// OffsetFetch (9), v0-v7: the error at the top from v2, and on every partition the request names
/// (with no committed offset, -1), which is where v0 and v1 clients look.
/// </summary>
public sealed class OffsetFetchHandler() : CoordinatorNotAvailableHandler(OffsetFetchApi.Declaration)
{
    private static readonly StructSchema TopicSchema = OffsetFetchApi.Declaration.Response.ElementOf("Topics");
    private static readonly StructSchema PartitionSchema = TopicSchema.ElementOf("Partitions");

    protected override void Answer(MessageStruct request, short version, MessageStruct response)
    {
        response["ErrorCode"] = Error;
        response["Topics"] = MessageFields.Structs(request, "Topics").Select(t => (object?)TopicSchema.NewDefault()
            .With("Name", t.Get<string>("Name"))
            .With("Partitions", t.Get<object?[]>("PartitionIndexes").Select(p => (object?)PartitionSchema.NewDefault()
                .With("PartitionIndex", (int)p!)
                .With("CommittedOffset", -1L)
                .With("ErrorCode", Error)).ToArray()))
            .ToArray();
    }
}
