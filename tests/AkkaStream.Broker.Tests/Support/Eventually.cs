using Akka.Actor;

namespace AkkaStream.Broker.Tests.Support;

/// <summary>Bounded polling for conditions that become true asynchronously (never sleep-and-hope).</summary>
public static class Eventually
{
    /// <summary>Like <see cref="True(Func{bool}, TimeSpan?, string?)"/>, describing the state when it fails (not when it starts).</summary>
    public static async Task True(Func<bool> condition, TimeSpan within, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition not met in time: {describe()}");
            await Task.Delay(100);
        }
    }

    public static async Task True(Func<bool> condition, TimeSpan? within = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition not met in time{(because is null ? "" : ": " + because)}");
            await Task.Delay(100);
        }
    }

    /// <summary>Like <see cref="True(Func{bool}, TimeSpan?, string?)"/> for a condition that has to ask something.</summary>
    public static Task True(Func<Task<bool>> condition, TimeSpan? within = null, string? because = null) =>
        Poll(condition, within ?? TimeSpan.FromSeconds(30), () => because);

    /// <summary>Like <see cref="True(Func{Task{bool}}, TimeSpan?, string?)"/>, describing the state when it fails.</summary>
    public static Task True(Func<Task<bool>> condition, TimeSpan within, Func<string> describe) => Poll(condition, within, describe);

    private static async Task Poll(Func<Task<bool>> condition, TimeSpan within, Func<string?> describe)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition not met in time{(describe() is { } why ? ": " + why : "")}");
            await Task.Delay(100);
        }
    }

    /// <summary>Asks until the reply satisfies <paramref name="accept"/> (e.g. while a new leader starts).</summary>
    public static async Task<T> Reply<T>(ICanTell target, object request, Func<T, bool> accept, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(40));
        object? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var reply = await target.Ask<T>(request, TimeSpan.FromSeconds(3));
                if (accept(reply)) return reply;
                last = reply;
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                last = e;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"no acceptable reply in time; last: {last}");
        return default!;
    }
}
