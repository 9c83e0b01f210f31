using AkkaStream.Broker.EventLogging;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Broker.Tests.EventLogging;

/// <summary>The event line format, and the refusal log's counting of a retrying client.</summary>
public sealed class EventLineTests
{
    [Fact]
    public void A_line_starts_with_its_event_ends_with_the_broker_and_quotes_what_would_split_it()
    {
        var line = EventLine.Warning("leader-elected").Partition(new TopicPartition("orders", 3)).Epoch(7)
            .With("isr", [2, 3]).With("lag-records", [12L]).With("clean", false).With("reason", "the \"old\" one = gone").With("empty", "");

        Assert.True(line.IsWarning);
        Assert.Equal("event=leader-elected topic=orders partition=3 epoch=7 isr=[2,3] lag-records=[12] clean=false " +
            "reason=\"the \\\"old\\\" one = gone\" empty=\"\" broker=2", line.Render(2));
        var parsed = new CapturedLine(line.Render(2), true);
        Assert.Equal(("the \"old\" one = gone", "", "2"), (parsed["reason"], parsed["empty"], parsed["broker"]));
    }

    [Fact]
    public void Api_names_are_kebab_case_from_the_request_type()
    {
        Assert.Equal("list-groups", RefusedRequests.ApiName(new Protocol.Messages.ListGroupsRequest()));
        Assert.Equal("api-versions", RefusedRequests.KebabCase("ApiVersions"));
    }

    [Fact]
    public async Task A_retried_refusal_is_written_once_per_window_and_the_next_line_counts_the_rest()
    {
        var logger = new LinesLogger();
        var refused = new RefusedRequests(new EventLog(logger, 4), TimeSpan.FromMilliseconds(300));

        for (var i = 0; i < 5; i++) refused.Write("produce", ErrorCode.NotLeaderOrFollower, "t", 0, "client-a", "moved");
        refused.Write("produce", ErrorCode.NotLeaderOrFollower, "t", 0, "client-b", "moved");
        refused.Write("fetch", ErrorCode.NotLeaderOrFollower, "t", 0, "client-a", "moved");
        Assert.Equal(3, logger.Lines.Count);
        Assert.All(logger.Lines, l => Assert.Equal(LogLevel.Warning, l.Level));
        Assert.DoesNotContain(logger.Lines, l => l.Text.Contains("suppressed"));

        // Once the window has passed, the next refusal is written with the count of those left out.
        await Eventually.True(() =>
        {
            refused.Write("produce", ErrorCode.NotLeaderOrFollower, "t", 0, "client-a", "moved");
            return logger.Lines.Count == 4;
        }, TimeSpan.FromSeconds(10), "a line after the window");
        var last = new CapturedLine(logger.Lines[^1].Text, true);
        Assert.Equal(("request-refused", "produce", "NotLeaderOrFollower", "client-a", "4"), (last["event"], last["api"], last["error"], last["client"], last["broker"]));
        Assert.True(long.Parse(last["suppressed"]) >= 4, last.Text);
    }

    private sealed class LinesLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
