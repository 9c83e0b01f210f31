using Akka.Actor;
using AkkaStream.Broker.Metrics;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Routing;

/// <summary>
/// The gateway's way of passing a request on while measuring it (Kafka's RequestMetrics): every
/// request is counted when it arrives. Partition requests are forwarded as they are; the others
/// are asked of their target, and the answer is timed, checked for an error code and sent on to
/// the client. An answer that does not come within the wait is counted as RequestTimedOut; the
/// client is then told only what <c>onTimeout</c> returns (nothing for group requests, whose
/// clients time out by themselves, as they did when the gateway only forwarded). Used from the
/// gateway's thread; the answer is relayed from the ask's continuation.
/// </summary>
internal sealed class TimedForward(RequestMetrics metrics)
{
    private readonly Dictionary<Type, RequestMeters> _byType = [];

    /// <summary>
    /// Counts a partition request and forwards it, keeping the client as its sender: the leader
    /// answers the client directly (and names it in its refusal lines), so these answers are not
    /// timed here. The Kafka listener's histograms time them for Kafka clients.
    /// </summary>
    public void Forwarded(object request, IActorRef target, object message)
    {
        MetersOf(request).Received();
        target.Forward(message);
    }

    /// <summary>Counts a request the gateway answers itself (a refusal), with its error.</summary>
    public void AnsweredHere(object request, ErrorCode error)
    {
        var meters = MetersOf(request);
        var received = meters.Received();
        meters.Failed(error);
        meters.Answered(received);
    }

    /// <summary>
    /// Asks <paramref name="target"/> with <paramref name="message"/> (the request, or its envelope) and relays the answer to
    /// <paramref name="replyTo"/>, after <paramref name="inspect"/> has seen it (the gateway writes refusals' log lines there).
    /// </summary>
    public void Ask(object request, IActorRef target, object message, IActorRef replyTo, TimeSpan wait, Func<object?>? onTimeout = null,
        Func<object, object>? inspect = null)
    {
        var meters = MetersOf(request);
        var received = meters.Received();
        target.Ask<object>(message, wait).ContinueWith(asked =>
        {
            if (asked.IsCompletedSuccessfully)
            {
                meters.Answered(received);
                if (asked.Result is IErrorReply reply) meters.Failed(reply.Error);
                replyTo.Tell(inspect is null ? asked.Result : inspect(asked.Result));
                return;
            }
            meters.Failed(ErrorCode.RequestTimedOut);
            if (onTimeout?.Invoke() is { } failure) replyTo.Tell(failure);
        }, TaskScheduler.Default);
    }

    /// <summary>The label of a request type: its name without "Request" (<c>ProduceRequest</c> → <c>Produce</c>).</summary>
    internal static string ApiOf(Type type)
    {
        const string Suffix = "Request";
        var name = type.Name;
        return name.EndsWith(Suffix, StringComparison.Ordinal) && name.Length > Suffix.Length ? name[..^Suffix.Length] : name;
    }

    private RequestMeters MetersOf(object request)
    {
        var type = request.GetType();
        if (!_byType.TryGetValue(type, out var meters))
        {
            meters = metrics.For(ApiOf(type));
            _byType[type] = meters;
        }
        return meters;
    }
}
