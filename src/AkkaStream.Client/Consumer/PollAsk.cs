using Akka.Actor;

namespace AkkaStream.Client.Consumer;

/// <summary>How the consumers' PollAsync asks their actor for records, cancellably without losing any. Thread-safe (stateless).</summary>
internal static class PollAsk
{
    /// <summary>
    /// Sends <paramref name="poll"/> and waits for the answer. Cancellation does not abandon the ask:
    /// it tells the actor to answer at once (<see cref="CancelPoll"/>), and an answer that carries
    /// records anyway (they were on their way) is still returned, so that the application sees
    /// every record the actor counts as returned. Throws when cancelled before the poll is sent.
    /// </summary>
    public static async Task<object> AskAsync(IActorRef actor, Poll poll, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var cancel = cancellationToken.Register(() => actor.Tell(CancelPoll.Instance));
        return await actor.Ask<object>(poll, timeout).ConfigureAwait(false);
    }

    /// <summary>The records of a poll's answer; when there are none and the poll was cancelled, the cancellation.</summary>
    public static IReadOnlyList<ConsumeRecord> RecordsOf(PollResult result, CancellationToken cancellationToken)
    {
        if (result.Records.Count == 0) cancellationToken.ThrowIfCancellationRequested();
        return result.Records;
    }
}
