using System.CommandLine;
using AkkaStream.Cli.Formatting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;

namespace AkkaStream.Cli.Commands;

/// <summary><c>akkastream cluster status</c>: the brokers, the controller and the cluster id.</summary>
public static class ClusterCommand
{
    public static Command Create(CliEnvironment? environment = null)
    {
        var env = environment ?? CliEnvironment.FromConsole();
        var bootstrap = CommonOptions.Bootstrap();
        var status = new Command("status", "Show the cluster id, the controller's broker id and every broker's gateway") { bootstrap };
        status.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), async (client, ct) =>
        {
            var cluster = await client.Admin.DescribeClusterAsync(ct).ConfigureAwait(false);
            foreach (var line in ClusterDescription.Lines(cluster))
            {
                await env.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }, cancellation));
        return new Command("cluster", "Inspect the cluster") { status };
    }
}
