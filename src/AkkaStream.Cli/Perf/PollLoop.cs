using System.Diagnostics;
using AkkaStream.Client.Consumer;

namespace AkkaStream.Cli.Perf;

/// <summary>
/// The receive loop of the perf commands: polls until <paramref name="messages"/> records have
/// come, or until <paramref name="idleTimeout"/> passes without one (a run that lost records
/// ends instead of hanging). Each poll's records, cut to the number still expected, go to
/// <paramref name="onRecords"/> with that number.
/// </summary>
public static class PollLoop
{
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>How many records came.</summary>
    public static async Task<long> ReceiveAsync(AkkaStreamConsumer consumer, long messages, TimeSpan idleTimeout,
        Action<IReadOnlyList<ConsumeRecord>, int> onRecords, CancellationToken ct)
    {
        var lastRecord = Stopwatch.GetTimestamp();
        long received = 0;
        while (received < messages)
        {
            var left = idleTimeout - Stopwatch.GetElapsedTime(lastRecord);
            if (left <= TimeSpan.Zero)
            {
                break;
            }
            var records = await consumer.PollAsync(left < LongestPoll ? left : LongestPoll, ct).ConfigureAwait(false);
            if (records.Count == 0)
            {
                continue;
            }
            lastRecord = Stopwatch.GetTimestamp();
            var take = (int)Math.Min(records.Count, messages - received);
            onRecords(records, take);
            received += take;
        }
        return received;
    }
}
