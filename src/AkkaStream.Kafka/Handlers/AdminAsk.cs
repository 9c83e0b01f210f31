using AkkaStream.Broker.Controller;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Partitions;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// How the administration handlers ask the broker's gateway: one request, one typed reply, and a
/// gateway that does not answer within the context's ask timeout becomes the request's own
/// RequestTimedOut reply, so a handler only ever sees answers. Thread-safe (stateless).
/// </summary>
internal static class AdminAsk
{
    public static async Task<TReply> AskAsync<TReply>(this KafkaRequestContext context, object request, CancellationToken cancellation)
        where TReply : class
    {
        if (await GatewayAsk.AskAsync<TReply>(context, request, context.AskTimeout, cancellation) is { } reply) return reply;
        var message = $"the broker did not answer within {context.AskTimeout.TotalSeconds:0.#} s";
        return (TReply)(AdminReplies.Failed(request, ErrorCode.RequestTimedOut, message)
            ?? PartitionReplies.Failed(request, ErrorCode.RequestTimedOut, message)
            ?? throw new ArgumentException($"{request.GetType().Name} has no error reply", nameof(request)));
    }

    /// <summary>
    /// Waits, within the ask timeout, until this broker's metadata shows what an administration
    /// request changed. Kafka answers CreateTopics and DeleteTopics once the change reached the
    /// brokers; a client that produces or describes right after its answer must not find the old
    /// state here. Not seeing it in time is no error: the change is made, only slow to arrive.
    /// The wait is bounded by the request's own timeout too (none when it is 0 or less, as Kafka
    /// answers such a request as soon as the change is started).
    /// </summary>
    public static async Task UntilMetadataShowsAsync(this KafkaRequestContext context, int requestTimeoutMs, Func<MetadataSnapshot, bool> condition, CancellationToken cancellation)
    {
        var wait = TimeSpan.FromMilliseconds(Math.Max(0, requestTimeoutMs));
        var deadline = DateTime.UtcNow + (wait < context.AskTimeout ? wait : context.AskTimeout);
        while (!condition(context.Metadata.Current) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellation);
        }
    }

    /// <summary>An array field's struct elements.</summary>
    public static IEnumerable<MessageStruct> Structs(this MessageStruct message, string arrayField) =>
        MessageFields.Structs(message, arrayField).Cast<MessageStruct>();
}
