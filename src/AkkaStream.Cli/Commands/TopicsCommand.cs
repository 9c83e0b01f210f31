using System.CommandLine;
using AkkaStream.Cli.Formatting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream topics create|list|describe|delete|alter</c>: Kafka's <c>kafka-topics</c>; and
/// <c>reassign|reassignments|elect-leaders</c> (see <see cref="ReassignCommands"/>).
/// </summary>
public static class TopicsCommand
{
    public static Command Create(CliEnvironment? environment = null)
    {
        var env = environment ?? CliEnvironment.FromConsole();
        return new Command("topics", "Create, list, describe, alter, delete and reassign topics")
        {
            CreateTopic(env),
            ListTopics(env),
            DescribeTopics(env),
            DeleteTopic(env),
            AlterTopic(env),
            ReassignCommands.Reassign(env),
            ReassignCommands.List(env),
            ReassignCommands.ElectLeaders(env),
        };
    }

    private static Command CreateTopic(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topic = CommonOptions.Topic("The topic to create");
        var partitions = CommonOptions.AtLeast("--partitions", 1, "Number of partitions [default: the broker's num.partitions]");
        var replication = CommonOptions.AtLeast<short>("--replication-factor", 1, "Replicas of each partition [default: the broker's default.replication.factor]");
        var configs = CommonOptions.KeyValueList("--config", "A topic setting as key=value (repeatable), e.g. --config cleanup.policy=compact");
        var command = new Command("create", "Create a topic") { bootstrap, topic, partitions, replication, configs };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            var name = parsed.GetRequiredValue(topic);
            await client.Admin.CreateTopicAsync(
                name,
                parsed.GetValue(partitions) ?? -1,
                parsed.GetValue(replication) ?? -1,
                parsed.GetRequiredValue(configs),
                cancellationToken: ct).ConfigureAwait(false);
            await env.Out.WriteLineAsync($"Created topic {name}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }

    private static Command ListTopics(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var command = new Command("list", "List every topic, one name per line") { bootstrap };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            foreach (var name in await client.Admin.ListTopicsAsync(ct).ConfigureAwait(false))
            {
                await env.Out.WriteLineAsync(name).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }

    private static Command DescribeTopics(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topic = new Option<string>("--topic") { Description = "The topic to describe [default: every topic]" };
        var command = new Command("describe", "Show partitions (leader, epoch, replicas, ISR) and overridden settings") { bootstrap, topic };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            // An array, as the names cross Akka.Remote (see TopicLookup).
            IReadOnlyList<string> names = parsed.GetValue(topic) is { } one ? new[] { one } : await client.Admin.ListTopicsAsync(ct).ConfigureAwait(false);
            if (names.Count == 0)
            {
                return ExitCodes.Success;
            }
            foreach (var metadata in await client.Admin.DescribeTopicsAsync(names, ct).ConfigureAwait(false))
            {
                var configs = await client.Admin.DescribeConfigsAsync(metadata.Name, ct).ConfigureAwait(false);
                foreach (var line in TopicDescription.Lines(metadata, configs))
                {
                    await env.Out.WriteLineAsync(line).ConfigureAwait(false);
                }
            }
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }

    private static Command DeleteTopic(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topic = CommonOptions.Topic("The topic to delete");
        var command = new Command("delete", "Delete a topic and its records") { bootstrap, topic };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            var name = parsed.GetRequiredValue(topic);
            await client.Admin.DeleteTopicAsync(name, ct).ConfigureAwait(false);
            await env.Out.WriteLineAsync($"Deleted topic {name}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }

    private static Command AlterTopic(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topic = CommonOptions.Topic("The topic to alter");
        var partitions = CommonOptions.AtLeast("--partitions", 1, "Raise the partition count to this (partitions are never removed)");
        var configs = CommonOptions.KeyValueList("--config", "Set a topic setting as key=value (repeatable)");
        var deletes = new Option<string[]>("--delete-config") { Description = "Return a topic setting to its default (repeatable)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("alter", "Add partitions, set or remove topic settings") { bootstrap, topic, partitions, configs, deletes };
        command.Validators.Add(result =>
        {
            if (result.ValueOrDefault(partitions) is null && result.ValueOrDefault(configs) is not { Count: > 0 } && result.ValueOrDefault(deletes) is not { Length: > 0 })
            {
                result.AddError("alter needs --partitions, --config or --delete-config");
            }
        });
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            var name = parsed.GetRequiredValue(topic);
            if (parsed.GetValue(partitions) is { } count)
            {
                await client.Admin.CreatePartitionsAsync(name, count, cancellationToken: ct).ConfigureAwait(false);
            }
            var set = parsed.GetRequiredValue(configs);
            var delete = parsed.GetValue(deletes) ?? [];
            if (set.Count > 0 || delete.Length > 0)
            {
                await client.Admin.AlterConfigsAsync(name, set, delete, cancellationToken: ct).ConfigureAwait(false);
            }
            await env.Out.WriteLineAsync($"Altered topic {name}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }
}
