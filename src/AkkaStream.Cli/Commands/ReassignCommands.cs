using System.CommandLine;
using System.Globalization;
using AkkaStream.Cli.Formatting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream topics reassign|reassignments</c>: Kafka's <c>kafka-reassign-partitions --execute</c>
/// (or <c>--cancel</c>) for one partition, and its <c>--list</c>.
/// </summary>
internal static class ReassignCommands
{
    public static Command Reassign(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topic = CommonOptions.Topic("The topic of the partition to move");
        var partition = new Option<int>("--partition") { Description = "The partition to move", Required = true };
        var replicas = BrokerIds("--replicas", "The target replicas as comma-separated broker ids, preferred leader first, e.g. 3,2");
        var cancel = new Option<bool>("--cancel") { Description = "Cancel the partition's reassignment: back to the replicas it had, the added ones removed" };
        var command = new Command("reassign", "Move a partition's replicas to other brokers (returns once accepted; see reassignments), or cancel a move")
        {
            bootstrap, topic, partition, replicas, cancel,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(replicas) is null) == !result.GetValue(cancel))
            {
                result.AddError("reassign needs either --replicas or --cancel");
            }
        });
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            var name = parsed.GetRequiredValue(topic);
            var p = parsed.GetValue(partition);
            var tp = $"{name}-{p.ToString(CultureInfo.InvariantCulture)}";
            if (parsed.GetValue(cancel))
            {
                await client.Admin.CancelPartitionReassignmentAsync(name, p, ct).ConfigureAwait(false);
                await env.Out.WriteLineAsync($"Cancelled the reassignment of {tp}.").ConfigureAwait(false);
                return ExitCodes.Success;
            }
            var target = parsed.GetRequiredValue(replicas);
            await client.Admin.AlterPartitionReassignmentsAsync(name, p, target, ct).ConfigureAwait(false);
            await env.Out.WriteLineAsync($"Reassigning {tp} to [{string.Join(',', target)}].").ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }

    public static Command List(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topic = new Option<string>("--topic") { Description = "The topic to list [default: every topic]" };
        var command = new Command("reassignments", "List the partition reassignments in progress, one per line") { bootstrap, topic };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            // An array, as the names cross Akka.Remote (see TopicLookup).
            IReadOnlyList<string>? names = parsed.GetValue(topic) is { } one ? new[] { one } : null;
            foreach (var ongoing in await client.Admin.ListPartitionReassignmentsAsync(names, ct).ConfigureAwait(false))
            {
                await env.Out.WriteLineAsync(TopicDescription.Line(ongoing)).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }

    /// <summary>A comma-separated list of broker ids (whole numbers from 0).</summary>
    private static Option<int[]> BrokerIds(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            var ids = new List<int>();
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    result.AddError($"{name} must be comma-separated broker ids, not '{text}'");
                    return [];
                }
                ids.Add(id);
            }
            return [.. ids];
        },
    };
}
