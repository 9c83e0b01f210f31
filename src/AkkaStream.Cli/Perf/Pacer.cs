namespace AkkaStream.Cli.Perf;

/// <summary>
/// Paces sends to at most <see cref="RecordsPerSecond"/> on average since the start: record n is
/// due n / rate seconds after the start, and a sender that is ahead waits until then. A negative
/// or zero rate means unlimited. Pure: the caller supplies the elapsed time.
/// </summary>
public sealed class Pacer(double recordsPerSecond)
{
    /// <summary>Waits shorter than this are skipped: the timer cannot honour them, and the average catches up anyway.</summary>
    public static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);

    public double RecordsPerSecond { get; } = recordsPerSecond;

    public bool Unlimited => RecordsPerSecond <= 0;

    /// <summary>How long to wait before sending the record that follows <paramref name="sent"/> records, <paramref name="elapsed"/> after the start.</summary>
    public TimeSpan WaitBefore(long sent, TimeSpan elapsed)
    {
        if (Unlimited)
        {
            return TimeSpan.Zero;
        }
        var due = TimeSpan.FromSeconds(sent / RecordsPerSecond);
        var wait = due - elapsed;
        return wait >= MinimumWait ? wait : TimeSpan.Zero;
    }
}
