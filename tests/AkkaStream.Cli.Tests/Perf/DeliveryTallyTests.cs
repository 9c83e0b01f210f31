using AkkaStream.Cli.Perf;
using AkkaStream.Client.Producer;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Tests.Perf;

public sealed class DeliveryTallyTests
{
    private static DeliveryReport Report(ErrorCode error, string? message = null) =>
        new("t", 0, error == ErrorCode.None ? 1 : -1, 0, error, message, null);

    [Fact]
    public async Task The_last_expected_report_completes_the_run_and_frees_the_window()
    {
        var window = new SendWindow(4);
        var tally = new DeliveryTally(2, window);
        await window.AcquireAsync(CancellationToken.None);
        await window.AcquireAsync(CancellationToken.None);

        tally.Settle(Report(ErrorCode.None));
        Assert.False(tally.AllReported.IsCompleted);
        tally.Settle(Report(ErrorCode.None));

        Assert.True(tally.AllReported.IsCompletedSuccessfully);
        Assert.Equal(0, window.Outstanding);
        tally.ThrowIfAnyFailed();
    }

    [Fact]
    public void A_failed_record_fails_the_run_with_the_first_error()
    {
        var tally = new DeliveryTally(3, new SendWindow(4));

        tally.Settle(Report(ErrorCode.None));
        tally.Settle(Report(ErrorCode.NotEnoughReplicas, "only 1 in sync"));
        tally.Settle(Report(ErrorCode.RequestTimedOut));

        var failure = Assert.Throws<AkkaStreamException>(tally.ThrowIfAnyFailed);
        Assert.Equal(ErrorCode.NotEnoughReplicas, failure.Code);
        Assert.Contains("2 of 3 records failed", failure.Message);
        Assert.Contains("only 1 in sync", failure.Message);
    }
}
