using AkkaStream.Cli.Perf;

namespace AkkaStream.Cli.Tests.Perf;

public sealed class SendWindowTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_full_window_waits_until_a_quarter_of_it_is_free()
    {
        var window = new SendWindow(8);
        for (var i = 0; i < 8; i++)
        {
            Assert.True(window.AcquireAsync(CancellationToken.None).IsCompletedSuccessfully);
        }

        var waiting = window.AcquireAsync(CancellationToken.None).AsTask();
        window.Release();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted); // 7 outstanding: one slot free is not enough
        window.Release();

        await waiting.WaitAsync(Wait); // 6 outstanding: the low-water mark
        Assert.Equal(7, window.Outstanding);
    }

    [Fact]
    public async Task A_window_of_one_alternates_send_and_report()
    {
        var window = new SendWindow(1);
        await window.AcquireAsync(CancellationToken.None);

        var waiting = window.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        window.Release();

        await waiting.WaitAsync(Wait);
        Assert.Equal(1, window.Outstanding);
    }

    [Fact]
    public async Task Reports_from_other_threads_never_leave_the_sender_waiting()
    {
        const int records = 200_000;
        var window = new SendWindow(64);
        var reports = new System.Collections.Concurrent.BlockingCollection<int>();
        var reporter = Task.Run(() =>
        {
            foreach (var _ in reports.GetConsumingEnumerable())
            {
                window.Release();
            }
        });

        for (var i = 0; i < records; i++)
        {
            await window.AcquireAsync(CancellationToken.None).AsTask().WaitAsync(Wait);
            reports.Add(i);
        }
        reports.CompleteAdding();
        await reporter.WaitAsync(Wait);

        Assert.Equal(0, window.Outstanding);
    }

    [Fact]
    public async Task Cancelling_stops_the_wait()
    {
        var window = new SendWindow(1);
        await window.AcquireAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = window.AcquireAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Wait));
    }
}
