using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AkkaStream.Cli.Formatting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;
using AkkaStream.Client;
using AkkaStream.Client.Admin;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream groups reset-offsets</c>: Kafka's <c>kafka-consumer-groups --reset-offsets</c>. Moves
/// an inactive group's committed offsets of some topics (or every topic it committed) to the log
/// start or end, an offset, a time, or by a shift; prints the plan, and commits it only with
/// <c>--execute</c> (<c>--dry-run</c> shows it alone). One of the two must be given, so that a reset
/// is never run by accident nor mistaken for one that ran.
/// </summary>
internal static class ResetOffsetsCommand
{
    public static Command Create(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var group = GroupsCommand.Group("The group whose offsets to reset (it must have no members)");
        var topics = new Option<TopicPartitionsArgument[]>("--topic")
        {
            Description = "A topic to reset, as topic or topic:partition,partition (repeatable)",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = ParseTopics,
        };
        var allTopics = new Option<bool>("--all-topics") { Description = "Reset every topic the group has committed offsets for" };
        var toEarliest = new Option<bool>("--to-earliest") { Description = "To the log start offset" };
        var toLatest = new Option<bool>("--to-latest") { Description = "To the log end offset" };
        var toOffset = new Option<long?>("--to-offset") { Description = "To this offset (clamped to each partition's log)" };
        var toDatetime = new Option<DateTimeOffset?>("--to-datetime")
        {
            Description = "To the first record at or after this time, e.g. 2026-12-01T09:30:00Z (the log end when none is)",
            CustomParser = ParseDatetime,
        };
        var shiftBy = new Option<long?>("--shift-by") { Description = "Move the committed offset by this many (negative: back)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print the new offsets" };
        var execute = new Option<bool>("--execute") { Description = "Commit the new offsets" };
        var command = new Command("reset-offsets", "Reset an inactive group's committed offsets (print the plan with --dry-run, commit it with --execute)")
        {
            bootstrap, group, topics, allTopics, toEarliest, toLatest, toOffset, toDatetime, shiftBy, dryRun, execute,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(topics) is null) == !result.GetValue(allTopics))
            {
                result.AddError("reset-offsets needs either --topic or --all-topics");
            }
            var targets = new Option[] { toEarliest, toLatest, toOffset, toDatetime, shiftBy }.Count(o => IsGiven(result, o));
            if (targets != 1)
            {
                result.AddError("reset-offsets needs exactly one of --to-earliest, --to-latest, --to-offset, --to-datetime, --shift-by");
            }
            if (result.GetValue(dryRun) == result.GetValue(execute))
            {
                result.AddError("reset-offsets needs exactly one of --dry-run and --execute");
            }
        });
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            OffsetResetTarget target =
                parsed.GetValue(toEarliest) ? new OffsetResetTarget.Earliest()
                : parsed.GetValue(toLatest) ? new OffsetResetTarget.Latest()
                : parsed.GetValue(toOffset) is { } offset ? new OffsetResetTarget.ToOffset(offset)
                : parsed.GetValue(toDatetime) is { } time ? new OffsetResetTarget.ToTimestamp(time.ToUnixTimeMilliseconds())
                : new OffsetResetTarget.ShiftBy(parsed.GetValue(shiftBy)!.Value);
            var name = parsed.GetRequiredValue(group);
            var partitions = parsed.GetValue(allTopics)
                ? await CommittedPartitionsAsync(client, name, ct).ConfigureAwait(false)
                : await SelectedPartitionsAsync(client, parsed.GetRequiredValue(topics), ct).ConfigureAwait(false);
            var isDryRun = parsed.GetValue(dryRun);
            var plan = await client.Admin.ResetGroupOffsetsAsync(name, partitions, target, isDryRun, ct).ConfigureAwait(false);
            foreach (var line in GroupDescription.Plan(name, plan))
            {
                await env.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
            await env.Error.WriteLineAsync(isDryRun ? "Dry run: nothing was committed." : $"Committed {plan.Count} offset(s).").ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }

    private static bool IsGiven(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private static async Task<IReadOnlyList<TopicPartition>> CommittedPartitionsAsync(AkkaStreamClient client, string group, CancellationToken ct) =>
        (await client.Admin.ListGroupOffsetsAsync(group, ct).ConfigureAwait(false))
            .Select(o => new TopicPartition(o.Topic, o.Partition)).Order().ToArray();

    private static async Task<IReadOnlyList<TopicPartition>> SelectedPartitionsAsync(AkkaStreamClient client, TopicPartitionsArgument[] topics, CancellationToken ct)
    {
        var result = new List<TopicPartition>();
        foreach (var topic in topics)
        {
            var existing = await client.Admin.PartitionsOfAsync(new[] { topic.Topic }, ct).ConfigureAwait(false);
            if (topic.Partitions is null)
            {
                result.AddRange(existing);
                continue;
            }
            foreach (var p in topic.Partitions)
            {
                var tp = new TopicPartition(topic.Topic, p);
                result.Add(existing.Contains(tp)
                    ? tp
                    : throw new AkkaStreamException(ErrorCode.UnknownTopicOrPartition, $"topic {topic.Topic} has no partition {p.ToString(CultureInfo.InvariantCulture)}"));
            }
        }
        return result.Distinct().Order().ToArray();
    }

    private static TopicPartitionsArgument[] ParseTopics(ArgumentResult result)
    {
        var parsed = new List<TopicPartitionsArgument>();
        foreach (var token in result.Tokens)
        {
            if (TopicPartitionsArgument.TryParse(token.Value, out var one, out var error))
            {
                parsed.Add(one!);
            }
            else
            {
                result.AddError($"--topic: {error}");
            }
        }
        return [.. parsed];
    }

    private static DateTimeOffset? ParseDatetime(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }
        result.AddError($"--to-datetime must be a date and time such as 2026-12-01T09:30:00Z, not '{text}'");
        return null;
    }
}
