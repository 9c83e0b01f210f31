using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// DeleteTopics 0-5: each named topic is one request to the controller; each gets its own error
/// (UnknownTopicOrPartition for one that does not exist). Answers once this broker's metadata no
/// longer lists the deleted topics. Stateless, so thread-safe.
/// </summary>
public sealed class DeleteTopicsHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.DeleteTopics;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var names = (request.Body.Get<object?[]?>("TopicNames") ?? []).Cast<string?>().Select(n => n ?? "").Distinct().ToList();
        var results = await Task.WhenAll(names.Select(async name =>
        {
            var deleted = await context.AskAsync<DeleteTopicResponse>(new DeleteTopicRequest(name), cancellation);
            if (deleted.Error == Records.Errors.ErrorCode.None)
            {
                await context.UntilMetadataShowsAsync(request.Body.Get<int>("TimeoutMs"), m => !m.Topics.ContainsKey(name), cancellation);
            }
            return deleted;
        }));

        var response = request.Api.Response.NewDefault();
        var resultSchema = response.Schema.ElementOf("Responses");
        response["Responses"] = results.Select(r => (object?)resultSchema.NewDefault()
            .With("Name", r.Name)
            .With("ErrorCode", (short)r.Error)
            .With("ErrorMessage", r.ErrorMessage)).ToArray();
        return response;
    }
}
