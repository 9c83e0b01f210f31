using Akka.Actor;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Hosting;

/// <summary>
/// The exit codes scripts may rely on (docs/CLI.md), and the one place that turns a failure into
/// one of them and its line on standard error.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The cluster refused or did not answer: <c>error: &lt;ErrorCode&gt;: &lt;message&gt;</c> on stderr.</summary>
    public const int KafkaError = 1;

    /// <summary>The command line does not parse (unknown command or option, missing or malformed value).</summary>
    public const int BadUsage = 2;

    /// <summary>Interrupted (Ctrl-C) before it finished, as shells report SIGINT.</summary>
    public const int Interrupted = 130;

    /// <summary>Writes the error line for <paramref name="failure"/> and returns its exit code.</summary>
    public static int Report(Exception failure, TextWriter error, CancellationToken cancellation = default)
    {
        var (code, message) = Describe(failure);
        if (code is null)
        {
            if (failure is OperationCanceledException && cancellation.IsCancellationRequested)
            {
                return Interrupted;
            }
            error.WriteLine($"error: {message}");
            return KafkaError;
        }
        error.WriteLine($"error: {code}: {message}");
        return KafkaError;
    }

    /// <summary>
    /// The Kafka error code and message of a failure. A request that got no answer in time is
    /// RequestTimedOut, as Kafka's clients report it; a failure that carries no code (null) is
    /// unexpected and reported by its message alone.
    /// </summary>
    public static (ErrorCode? Code, string Message) Describe(Exception failure) => failure switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        AkkaStreamException e => (e.Code, e.Message),
        AskTimeoutException or TimeoutException => (ErrorCode.RequestTimedOut, "no answer from the cluster in time: " + failure.Message),
        _ => (null, failure.Message),
    };
}
