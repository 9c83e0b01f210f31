using System.CommandLine;
using AkkaStream.Cli.Formatting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream groups list|describe|delete</c>: Kafka's <c>kafka-consumer-groups</c>; and
/// <c>reset-offsets</c> (see <see cref="ResetOffsetsCommand"/>).
/// </summary>
public static class GroupsCommand
{
    public static Command Create(CliEnvironment? environment = null)
    {
        var env = environment ?? CliEnvironment.FromConsole();
        return new Command("groups", "List, describe and delete consumer groups, and reset their committed offsets")
        {
            ListGroups(env),
            DescribeGroup(env),
            DeleteGroup(env),
            ResetOffsetsCommand.Create(env),
        };
    }

    internal static Option<string> Group(string description) => new("--group")
    {
        Description = description,
        Required = true,
    };

    private static Command ListGroups(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var state = new Option<bool>("--state") { Description = "Also show each group's protocol type and state" };
        var command = new Command("list", "List every consumer group, one per line") { bootstrap, state };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            var groups = await client.Admin.ListGroupsAsync(ct).ConfigureAwait(false);
            var lines = parsed.GetValue(state)
                ? TextTable.Lines(["GROUP", "PROTOCOL-TYPE", "STATE"], groups.Select(g => (IReadOnlyList<string>)[g.GroupId, g.ProtocolType.Length == 0 ? "-" : g.ProtocolType, g.State]))
                : groups.Select(g => g.GroupId);
            foreach (var line in lines)
            {
                await env.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }

    private static Command DescribeGroup(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var group = Group("The group to describe");
        var members = new Option<bool>("--members") { Description = "Show the members (their host and client id) and their assigned partitions instead of the offsets" };
        var command = new Command("describe", "Show a group's state, and per partition its committed offset, log end offset, lag and consumer")
        {
            bootstrap, group, members,
        };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            var description = await client.Admin.DescribeConsumerGroupAsync(parsed.GetRequiredValue(group), ct).ConfigureAwait(false);
            await env.Out.WriteLineAsync(GroupDescription.StateLine(description)).ConfigureAwait(false);
            var table = parsed.GetValue(members) ? GroupDescription.Members(description) : GroupDescription.Offsets(description);
            foreach (var line in table)
            {
                await env.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }

    private static Command DeleteGroup(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var group = Group("The group to delete (it must have no members)");
        var command = new Command("delete", "Delete an empty consumer group and its committed offsets") { bootstrap, group };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            var name = parsed.GetRequiredValue(group);
            await client.Admin.DeleteGroupAsync(name, ct).ConfigureAwait(false);
            await env.Out.WriteLineAsync($"Deleted group {name}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return command;
    }
}
