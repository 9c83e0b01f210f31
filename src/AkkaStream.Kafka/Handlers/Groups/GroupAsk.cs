using AkkaStream.Broker.Groups;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// How the group handlers ask the broker's gateway, which routes each request to its group's
/// coordinator entity wherever it lives. A coordinator that does not answer in time becomes the
/// request's own COORDINATOR_NOT_AVAILABLE reply: it is retriable, and Kafka clients answer it by
/// finding the coordinator again, which is what a group moving to another broker needs. Stateless.
/// </summary>
internal static class GroupAsk
{
    /// <summary>Asks within the context's ask timeout.</summary>
    public static Task<TReply> AskGroupAsync<TReply>(this KafkaRequestContext context, object request, CancellationToken cancellation)
        where TReply : class =>
        context.AskGroupAsync<TReply>(request, context.AskTimeout, cancellation);

    /// <summary>Asks within <paramref name="timeout"/>, for requests the coordinator may rightly hold longer than the ask timeout.</summary>
    public static async Task<TReply> AskGroupAsync<TReply>(this KafkaRequestContext context, object request, TimeSpan timeout, CancellationToken cancellation)
        where TReply : class
    {
        if (await GatewayAsk.AskAsync<TReply>(context, request, timeout, cancellation).ConfigureAwait(false) is { } reply) return reply;
        return (TReply)GroupReplies.Failed(request, ErrorCode.CoordinatorNotAvailable,
            $"the group coordinator did not answer within {timeout.TotalSeconds:0.#} s");
    }

    /// <summary>One request per group id, all asked at once; the replies in the same order (DescribeGroups, DeleteGroups).</summary>
    public static Task<TReply[]> AskEachGroupAsync<TReply>(this KafkaRequestContext context, object?[] groupIds, Func<string, object> request,
        CancellationToken cancellation)
        where TReply : class =>
        Task.WhenAll(groupIds.Select(id => context.AskGroupAsync<TReply>(request((string?)id ?? ""), cancellation)));
}
