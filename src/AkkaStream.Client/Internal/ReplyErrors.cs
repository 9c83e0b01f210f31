using Akka.Actor;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Internal;

/// <summary>The Kafka error an actor's piped answer carries: a broker's error reply, a timeout, or a failure of the ask itself.</summary>
internal static class ReplyErrors
{
    public static (ErrorCode Error, string? Message) Of(object answer, TimeSpan timeout) => answer switch
    {
        IErrorReply r => (r.Error, r.ErrorMessage),
        AkkaStreamException e => (e.Code, e.Message),
        AskTimeoutException => (ErrorCode.RequestTimedOut, $"no answer within {timeout}"),
        Exception e when e.InnerException is AskTimeoutException => (ErrorCode.RequestTimedOut, $"no answer within {timeout}"),
        Exception e => (ErrorCode.NetworkException, e.Message),
        _ => (ErrorCode.UnknownServerError, $"unexpected answer {answer.GetType().Name}"),
    };
}
