using Akka.Actor;
using AkkaStream.Broker.Topics;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Metadata;

/// <summary>
/// Kafka's <c>auto.create.topics.enable</c>, applied to a metadata answer: each named topic that
/// does not exist is created by the controller with the broker defaults (partitions and
/// replication factor -1), and reported <c>LeaderNotAvailable</c> so the client asks again once
/// the new topic is in the metadata. A name Kafka would refuse is reported
/// <c>InvalidTopicException</c> and never sent to the controller; a refusal by the controller
/// (e.g. a default replication factor above the live brokers) is reported on the topic.
/// Thread-safe (stateless).
/// </summary>
public static class TopicAutoCreation
{
    private static readonly IReadOnlyDictionary<string, string> NoConfigs = new Dictionary<string, string>();

    /// <summary>True when <paramref name="response"/> names a topic this would try to create.</summary>
    public static bool HasUnknown(MetadataResponse response) =>
        response.Topics.Any(t => t.Error == ErrorCode.UnknownTopicOrPartition);

    /// <summary>The answer with every unknown topic replaced by the outcome of creating it.</summary>
    public static async Task<MetadataResponse> CreateUnknownAsync(MetadataResponse response, IActorRef controller, TimeSpan timeout)
    {
        var topics = await Task.WhenAll(response.Topics.Select(t =>
            t.Error == ErrorCode.UnknownTopicOrPartition ? CreateAsync(t.Name, controller, timeout) : Task.FromResult(t)))
            .ConfigureAwait(false);
        return response with { Topics = topics };
    }

    private static async Task<TopicMetadata> CreateAsync(string name, IActorRef controller, TimeSpan timeout)
    {
        try
        {
            TopicName.Validate(name);
        }
        catch (AkkaStreamException e)
        {
            return Answer(name, e.Code);
        }
        try
        {
            var reply = await controller.Ask<CreateTopicResponse>(new CreateTopicRequest(name, -1, -1, NoConfigs), timeout)
                .ConfigureAwait(false);
            // Created now or by a concurrent request: either way it is on its way into the metadata.
            return Answer(name, reply.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists ? ErrorCode.LeaderNotAvailable : reply.Error);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            // The controller may still create it; a retriable error lets the client ask again.
            return Answer(name, ErrorCode.LeaderNotAvailable);
        }
    }

    private static TopicMetadata Answer(string name, ErrorCode error) => new(name, Guid.Empty, error, []);
}
