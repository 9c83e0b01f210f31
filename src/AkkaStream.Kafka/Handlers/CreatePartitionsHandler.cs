using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// CreatePartitions 0-2: raises each topic's partition count, spreading the new partitions or
/// placing them as the request assigns; validate-only checks without changing anything. Each
/// topic gets its own error. Stateless, so thread-safe.
/// </summary>
public sealed class CreatePartitionsHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.CreatePartitions;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var validateOnly = request.Body.Get<bool>("ValidateOnly");
        var topics = request.Body.Structs("Topics").ToList();
        var named = topics.GroupBy(t => t.Get<string>("Name")).ToDictionary(g => g.Key, g => g.Count());
        var results = await Task.WhenAll(topics.Select(topic => named[topic.Get<string>("Name")] > 1
            ? Task.FromResult(new CreatePartitionsResponse(topic.Get<string>("Name"), ErrorCode.InvalidRequest,
                $"topic '{topic.Get<string>("Name")}' is named more than once in the request"))
            : RaiseAsync(context, topic, validateOnly, request.Body.Get<int>("TimeoutMs"), cancellation)));

        var response = request.Api.Response.NewDefault();
        var resultSchema = response.Schema.ElementOf("Results");
        response["Results"] = results.Select(r => (object?)resultSchema.NewDefault()
            .With("Name", r.Name)
            .With("ErrorCode", (short)r.Error)
            .With("ErrorMessage", r.ErrorMessage)).ToArray();
        return response;
    }

    private static async Task<CreatePartitionsResponse> RaiseAsync(KafkaRequestContext context, MessageStruct topic, bool validateOnly, int timeoutMs, CancellationToken cancellation)
    {
        var name = topic.Get<string>("Name");
        var count = topic.Get<int>("Count");
        IReadOnlyList<IReadOnlyList<int>>? assignments = topic.Get<object?[]?>("Assignments") is { } given
            ? [.. given.Cast<MessageStruct>().Select(a => (IReadOnlyList<int>)[.. a.Get<object?[]>("BrokerIds").Cast<int>()])]
            : null;
        var raised = await context.AskAsync<CreatePartitionsResponse>(new CreatePartitionsRequest(name, count, validateOnly, assignments), cancellation);
        if (raised.Error == ErrorCode.None && !validateOnly)
        {
            await context.UntilMetadataShowsAsync(timeoutMs, m => m.Topics.TryGetValue(name, out var t) && t.Partitions.Count >= count, cancellation);
        }
        return raised;
    }
}
