namespace AkkaStream.Cli.Perf;

/// <summary>
/// Bounds the records sent but not yet reported to <see cref="Capacity"/>. A sender that finds the
/// window full waits until it has drained to its low-water mark (a quarter of it free), not
/// just until one slot is free: at saturation the sender is then woken once per many reports
/// rather than once per report, and a wake-up per record would cost about as much CPU as
/// producing the record. Thread-safe for one sender and reports from any thread.
/// </summary>
public sealed class SendWindow
{
    private readonly object _gate = new();
    private readonly int _resumeAt;
    private long _outstanding;
    private TaskCompletionSource? _waiter;

    public SendWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _resumeAt = capacity - Math.Max(1, capacity / 4);
    }

    public int Capacity { get; }

    public long Outstanding => Interlocked.Read(ref _outstanding);

    /// <summary>Takes a slot for one record, first waiting for the low-water mark when the window is full.</summary>
    public ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Read(ref _outstanding) < Capacity)
        {
            Interlocked.Increment(ref _outstanding);
            return ValueTask.CompletedTask;
        }
        return WaitThenAcquireAsync(cancellationToken);
    }

    /// <summary>One record was reported.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _outstanding) > _resumeAt)
        {
            return;
        }
        // Taken under the gate that the sender checks the count under, so a sender that has just
        // decided to wait is either seen here or sees this decrement.
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
    }

    private async ValueTask WaitThenAcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_gate)
            {
                if (Interlocked.Read(ref _outstanding) <= _resumeAt)
                {
                    break;
                }
                waiter = _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        Interlocked.Increment(ref _outstanding);
    }
}
