using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;
using AkkaStream.Cli.Tests.TestSupport;

namespace AkkaStream.Cli.Tests.Parsing;

/// <summary>What <c>groups</c> commands read, and that an incomplete reset exits 2 without connecting.</summary>
public sealed class GroupsCommandLineTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public void Reset_offsets_reads_topics_with_and_without_partitions()
    {
        var parsed = _cli.Parse("groups", "reset-offsets", "--group", "g", "--topic", "orders", "--topic", "payments:0,2", "--to-offset", "5", "--dry-run");

        Assert.Empty(parsed.Errors);
        Assert.Equal(
            [new TopicPartitionsArgument("orders", null), new TopicPartitionsArgument("payments", [0, 2])],
            parsed.GetValue<TopicPartitionsArgument[]>("--topic")!,
            (a, b) => a.Topic == b.Topic && (a.Partitions ?? []).SequenceEqual(b.Partitions ?? []) && (a.Partitions is null) == (b.Partitions is null));
        Assert.Equal(5, parsed.GetValue<long?>("--to-offset"));
    }

    [Fact]
    public void Reset_offsets_reads_a_time_in_utc_unless_it_names_its_zone()
    {
        var utc = _cli.Parse("groups", "reset-offsets", "--group", "g", "--all-topics", "--to-datetime", "2026-12-01T09:30:00", "--execute");
        var zoned = _cli.Parse("groups", "reset-offsets", "--group", "g", "--all-topics", "--to-datetime", "2026-12-01T09:30:00+02:00", "--execute");

        Assert.Empty(utc.Errors);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero), utc.GetValue<DateTimeOffset?>("--to-datetime"));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero), zoned.GetValue<DateTimeOffset?>("--to-datetime")!.Value.ToUniversalTime());
    }

    [Theory]
    [InlineData("exactly one of --to-earliest", "--group", "g", "--all-topics", "--dry-run")]
    [InlineData("exactly one of --to-earliest", "--group", "g", "--all-topics", "--to-earliest", "--shift-by", "-1", "--dry-run")]
    [InlineData("exactly one of --dry-run and --execute", "--group", "g", "--all-topics", "--to-latest")]
    [InlineData("exactly one of --dry-run and --execute", "--group", "g", "--all-topics", "--to-latest", "--dry-run", "--execute")]
    [InlineData("either --topic or --all-topics", "--group", "g", "--to-latest", "--dry-run")]
    [InlineData("either --topic or --all-topics", "--group", "g", "--topic", "t", "--all-topics", "--to-latest", "--dry-run")]
    [InlineData("whole-number partitions", "--group", "g", "--topic", "t:x", "--to-latest", "--dry-run")]
    [InlineData("--to-datetime must be a date", "--group", "g", "--all-topics", "--to-datetime", "yesterday", "--dry-run")]
    public async Task An_incomplete_reset_is_a_usage_error(string expected, params string[] options)
    {
        var run = await _cli.RunAsync(["groups", "reset-offsets", .. options]);

        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains(expected, run.Error);
    }

    [Fact]
    public void Describe_list_and_delete_read_their_options()
    {
        Assert.Empty(_cli.Parse("groups", "list", "--state").Errors);
        Assert.True(_cli.Parse("groups", "describe", "--group", "g", "--members").GetValue<bool>("--members"));
        Assert.NotEmpty(_cli.Parse("groups", "delete").Errors);
    }
}
