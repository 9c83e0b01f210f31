using System.CommandLine;
using AkkaStream.Cli.Formatting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;
using AkkaStream.Client;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream cluster status|members|leave|down</c>: the cluster as the brokers and the Akka
/// cluster see it, and making a member leave or downing one that crashed.
/// </summary>
public static class ClusterCommand
{
    public static Command Create(CliEnvironment? environment = null)
    {
        var env = environment ?? CliEnvironment.FromConsole();
        return new Command("cluster", "Inspect the cluster and change its membership")
        {
            Status(env),
            Members(env),
            Leave(env),
            Down(env),
        };
    }

    private static Command Status(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var status = new Command("status",
            "Show the cluster id, the brokers, the Akka leader, the oldest member, the controller's location and what each node hosts of the shard regions") { bootstrap };
        status.SetAction((parsed, cancellation) => Run(env, parsed, bootstrap, async (client, ct) =>
        {
            var cluster = await client.Admin.DescribeClusterAsync(ct).ConfigureAwait(false);
            var members = await client.Admin.DescribeMembersAsync(ct).ConfigureAwait(false);
            await WriteAsync(env, ClusterDescription.Lines(cluster).Concat(MembersDescription.StatusLines(members))).ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return status;
    }

    private static Command Members(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var members = new Command("members",
            "List every member of the Akka cluster: broker id, address, status, reachability (and who sees it unreachable), hosted partitions and groups, roles") { bootstrap };
        members.SetAction((parsed, cancellation) => Run(env, parsed, bootstrap, async (client, ct) =>
        {
            var described = await client.Admin.DescribeMembersAsync(ct).ConfigureAwait(false);
            await WriteAsync(env, MembersDescription.MemberLines(described)).ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return members;
    }

    private static Command Leave(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var member = MemberArgument();
        var leave = new Command("leave", "Make a member leave the cluster gracefully: its partitions and groups move, then it stops") { member, bootstrap };
        leave.SetAction((parsed, cancellation) => Run(env, parsed, bootstrap, async (client, ct) =>
        {
            var left = await client.Admin.LeaveMemberAsync(parsed.GetRequiredValue(member), ct).ConfigureAwait(false);
            await env.Out.WriteLineAsync($"{left.Address} is leaving the cluster.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return leave;
    }

    private static Command Down(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var member = MemberArgument();
        var force = new Option<bool>("--force") { Description = "Down the member even though it is reachable (it is cut off while still running)" };
        var down = new Command("down", "Down an unreachable member (one that crashed) so that the cluster removes it; a reachable one is refused without --force")
        {
            member, force, bootstrap,
        };
        down.SetAction((parsed, cancellation) => Run(env, parsed, bootstrap, async (client, ct) =>
        {
            var downed = await client.Admin.DownMemberAsync(parsed.GetRequiredValue(member), parsed.GetValue(force), ct).ConfigureAwait(false);
            await env.Out.WriteLineAsync($"{downed.Address} is down; the cluster removes it.").ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellation));
        return down;
    }

    private static Argument<string> MemberArgument() => new("member") { Description = "A broker id (e.g. 3) or a member's address (akka.tcp://akkastream@host:port or host:port)" };

    private static Task<int> Run(CliEnvironment env, ParseResult parsed, Option<IReadOnlyList<string>> bootstrap,
        Func<AkkaStreamClient, CancellationToken, Task<int>> action, CancellationToken cancellation) =>
        ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), action, cancellation);

    private static async Task WriteAsync(CliEnvironment env, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            await env.Out.WriteLineAsync(line).ConfigureAwait(false);
        }
    }
}
