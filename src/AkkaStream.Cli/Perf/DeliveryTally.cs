using AkkaStream.Client.Producer;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Perf;

/// <summary>
/// Counts the delivery reports of a perf run: frees the report's slot in the send window, keeps
/// the first failure, and completes <see cref="AllReported"/> with the last expected report.
/// Thread-safe: reports arrive on the producer actor's thread.
/// </summary>
public sealed class DeliveryTally(long expected, SendWindow window)
{
    private readonly TaskCompletionSource _allReported = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _reported;
    private long _failed;
    private DeliveryReport? _firstFailure;

    public Task AllReported => _allReported.Task;

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>One report; the caller records a success's figures before, so that they are in by the time <see cref="AllReported"/> completes.</summary>
    public void Settle(DeliveryReport report)
    {
        if (!report.IsSuccess && Interlocked.Increment(ref _failed) == 1)
        {
            _firstFailure = report;
        }
        window.Release();
        if (Interlocked.Increment(ref _reported) == expected)
        {
            _allReported.TrySetResult();
        }
    }

    /// <summary>Fails the command, with the first failure's error code, when any record was not delivered.</summary>
    public void ThrowIfAnyFailed()
    {
        if (_firstFailure is { } failure)
        {
            throw new AkkaStreamException(failure.Error, $"{Failed} of {expected} records failed; the first: {failure.ErrorMessage ?? failure.Error.ToString()}");
        }
    }
}
