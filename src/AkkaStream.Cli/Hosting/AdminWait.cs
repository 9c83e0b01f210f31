using System.CommandLine;
using System.Diagnostics;
using AkkaStream.Cli.Parsing;
using AkkaStream.Cli.Perf;

namespace AkkaStream.Cli.Hosting;

/// <summary>
/// Waits for a long administration operation (a reassignment, a preferred-leader election) that the
/// cluster carries out after accepting it: asks for its state every <see cref="PollInterval"/>,
/// shows each state as a progress line on standard error, and stops once it is done or
/// <c>--wait-timeout</c> has passed. Stateless apart from the interval tests shorten.
/// </summary>
public static class AdminWait
{
    /// <summary>How often the state is asked for.</summary>
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>--wait</c>: poll until the operation is done, then print its result table.</summary>
    public static Option<bool> WaitOption(string what) => new("--wait") { Description = $"Wait until {what}, showing progress, then print the result" };

    /// <summary><c>--wait-timeout S</c>: the most seconds <c>--wait</c> waits.</summary>
    public static Option<int?> TimeoutOption() => CommonOptions.AtLeast("--wait-timeout", 1, "The most seconds --wait waits [default: 300]");

    public static TimeSpan Bound(int? seconds) => TimeSpan.FromSeconds(seconds ?? 300);

    /// <summary>The last state seen: done, or the one at the bound.</summary>
    public static async Task<TState> UntilDoneAsync<TState>(CliEnvironment env, Func<CancellationToken, Task<TState>> poll, Func<TState, bool> isDone,
        Func<TState, string> describe, TimeSpan bound, CancellationToken ct)
    {
        var progress = new ProgressLine(env.Error, env.ErrorIsTerminal);
        var started = Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                var state = await poll(ct).ConfigureAwait(false);
                await progress.WriteAsync(describe(state)).ConfigureAwait(false);
                if (isDone(state) || Stopwatch.GetElapsedTime(started) >= bound) return state;
                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await progress.EndAsync().ConfigureAwait(false);
        }
    }
}
