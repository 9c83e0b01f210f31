using Akka.Actor;

namespace AkkaStream.Kafka.Handlers;

/// <summary>Asks the broker's gateway, turning a timeout (or a stopping listener) into null so that the handler answers RequestTimedOut. Stateless.</summary>
internal static class GatewayAsk
{
    public static async Task<T?> AskAsync<T>(KafkaRequestContext context, object request, TimeSpan timeout, CancellationToken cancellation)
        where T : class
    {
        try
        {
            return await context.Gateway.Ask<T>(request, timeout, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }
}
