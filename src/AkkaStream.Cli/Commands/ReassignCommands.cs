using System.CommandLine;
using System.Globalization;
using AkkaStream.Cli.Formatting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;
using AkkaStream.Client;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream topics reassign|reassignments|elect-leaders</c>: Kafka's <c>kafka-reassign-partitions --execute</c>
/// (or <c>--cancel</c>) for one partition, and its <c>--list</c>; <c>kafka-leader-election
/// --election-type preferred</c>. With <c>--wait</c>, a move or an election is followed until done
/// (see <see cref="AdminWait"/>), with its progress on standard error and a result table.
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
        var wait = AdminWait.WaitOption("the partition is on its new replicas alone");
        var waitTimeout = AdminWait.TimeoutOption();
        var command = new Command("reassign", "Move a partition's replicas to other brokers (returns once accepted, or with --wait once done), or cancel a move")
        {
            bootstrap, topic, partition, replicas, cancel, wait, waitTimeout,
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
            if (!parsed.GetValue(wait)) return ExitCodes.Success;
            var bound = AdminWait.Bound(parsed.GetValue(waitTimeout));
            var last = await AdminWait.UntilDoneAsync(env, c => ReassignmentStateAsync(client, name, [(p, target)], c), s => s.IsDone, s => s.Line(), bound, ct)
                .ConfigureAwait(false);
            return await ResultAsync(env, last.Table(), last.IsDone, $"the reassignment of {tp}", bound).ConfigureAwait(false);
        }, cancellation));
        return command;
    }

    public static Command ElectLeaders(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topics = new Option<string[]>("--topic") { Description = "A topic whose partitions move back to their preferred leaders (repeatable) [default: every topic]" };
        var wait = AdminWait.WaitOption("every eligible partition is led by its preferred replica");
        var waitTimeout = AdminWait.TimeoutOption();
        var command = new Command("elect-leaders", "Move leadership back to each partition's preferred replica (the first assigned) where it is in sync")
        {
            bootstrap, topics, wait, waitTimeout,
        };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            // An array, as the names cross Akka.Remote (see TopicLookup).
            string[]? names = parsed.GetValue(topics) is { Length: > 0 } given ? given : null;
            var elected = await client.Admin.ElectLeadersAsync(names, ct).ConfigureAwait(false);
            await env.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{elected.Elected} partitions move to their preferred leaders.")).ConfigureAwait(false);
            if (!parsed.GetValue(wait)) return ExitCodes.Success;
            var bound = AdminWait.Bound(parsed.GetValue(waitTimeout));
            var last = await AdminWait.UntilDoneAsync(env, c => ElectionStateAsync(client, names, c), s => s.IsDone, s => s.Line(), bound, ct).ConfigureAwait(false);
            return await ResultAsync(env, last.Table(), last.IsDone, "the preferred-leader election", bound).ConfigureAwait(false);
        }, cancellation));
        return command;
    }

    private static async Task<ReassignmentProgress> ReassignmentStateAsync(AkkaStreamClient client, string topic, IReadOnlyList<(int Partition, int[] Target)> moves,
        CancellationToken ct)
    {
        var names = new[] { topic };
        var ongoing = await client.Admin.ListPartitionReassignmentsAsync(names, ct).ConfigureAwait(false);
        var metadata = (await client.Admin.DescribeTopicsAsync(names, ct).ConfigureAwait(false))[0];
        return new ReassignmentProgress([.. moves.Select(m => new ReassignmentProgress.Move(topic,
            metadata.Partitions.First(x => x.Partition == m.Partition), m.Target, ongoing.FirstOrDefault(o => o.Partition == m.Partition)))]);
    }

    private static async Task<ElectionProgress> ElectionStateAsync(AkkaStreamClient client, string[]? topics, CancellationToken ct)
    {
        var names = topics ?? [.. await client.Admin.ListTopicsAsync(ct).ConfigureAwait(false)];
        var described = await client.Admin.DescribeTopicsAsync(names, ct).ConfigureAwait(false);
        var cluster = await client.Admin.DescribeClusterAsync(ct).ConfigureAwait(false);
        return new ElectionProgress([.. described.SelectMany(t => t.Partitions.OrderBy(p => p.Partition).Select(p => (t.Name, p)))],
            cluster.Brokers.Select(b => b.BrokerId).ToHashSet());
    }

    /// <summary>Prints the result table; an operation not done within the bound is an error.</summary>
    private static async Task<int> ResultAsync(CliEnvironment env, IEnumerable<string> table, bool done, string what, TimeSpan bound)
    {
        foreach (var line in table) await env.Out.WriteLineAsync(line).ConfigureAwait(false);
        if (done) return ExitCodes.Success;
        await env.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"error: {what} is not done after {bound.TotalSeconds:0} s (--wait-timeout); it goes on in the cluster")).ConfigureAwait(false);
        return ExitCodes.KafkaError;
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
