using System.Diagnostics;
using AkkaStream.Client.Producer;

namespace AkkaStream.Cli.Perf;

/// <summary>
/// The send loop of the perf commands: <paramref name="records"/> records at the pacer's rate,
/// never more than the window's capacity unreported. The records come from
/// <paramref name="next"/>, called just before each send so that a record may carry its send time.
/// </summary>
public static class PacedSender
{
    public static async Task SendAsync(AkkaStreamProducer producer, long records, Pacer pacer, SendWindow window, Func<ProduceRecord> next, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        for (long sent = 0; sent < records; sent++)
        {
            if (!pacer.Unlimited && pacer.WaitBefore(sent, Stopwatch.GetElapsedTime(start)) is { } wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct).ConfigureAwait(false);
            }
            await window.AcquireAsync(ct).ConfigureAwait(false);
            producer.Produce(next());
        }
    }
}
