using Akka.Actor;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Tests.TestSupport;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Tests.Hosting;

public sealed class ExitCodesTests
{
    [Fact]
    public void A_kafka_error_exits_1_with_its_code_and_message()
    {
        var error = new StringWriter();

        var exit = ExitCodes.Report(new AkkaStreamException(ErrorCode.TopicAlreadyExists, "Topic 'orders' already exists."), error);

        Assert.Equal(ExitCodes.KafkaError, exit);
        Assert.Equal("error: TopicAlreadyExists: Topic 'orders' already exists." + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void A_request_that_got_no_answer_is_request_timed_out()
    {
        var error = new StringWriter();

        Assert.Equal(ExitCodes.KafkaError, ExitCodes.Report(new AskTimeoutException("gone"), error));
        Assert.StartsWith("error: RequestTimedOut: ", error.ToString());
        Assert.Equal(ErrorCode.RequestTimedOut, ExitCodes.Describe(new TimeoutException()).Code);
    }

    [Fact]
    public void A_wrapped_kafka_error_is_unwrapped()
    {
        var (code, _) = ExitCodes.Describe(new AggregateException(new AkkaStreamException(ErrorCode.NotLeaderOrFollower, "moved")));

        Assert.Equal(ErrorCode.NotLeaderOrFollower, code);
    }

    [Fact]
    public void An_unexpected_failure_exits_1_with_its_message()
    {
        var error = new StringWriter();

        Assert.Equal(ExitCodes.KafkaError, ExitCodes.Report(new IOException("disk"), error));
        Assert.Equal("error: disk" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Cancellation_by_ctrl_c_is_interrupted()
    {
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();

        Assert.Equal(ExitCodes.Interrupted, ExitCodes.Report(new OperationCanceledException(), TextWriter.Null, interrupt.Token));
    }

    [Fact]
    public async Task A_client_that_cannot_start_is_reported_by_the_shared_runner()
    {
        var cli = new CliHarness(_ => throw new AkkaStreamException(ErrorCode.InvalidConfig, "bad client config"));

        var run = await cli.RunAsync("topics", "list", "--bootstrap", "h:1");

        Assert.Equal(ExitCodes.KafkaError, run.ExitCode);
        Assert.Equal("error: InvalidConfig: bad client config", run.Error.Trim());
        Assert.Equal(["h:1"], cli.LastBootstrap);
    }
}
