using System.CommandLine;

namespace AkkaStream.Cli.Hosting;

/// <summary>
/// Parses and runs a command line. A line that does not parse exits with
/// <see cref="ExitCodes.BadUsage"/> after its errors are written to standard error (System.CommandLine
/// itself would exit 1, which scripts could not tell from a Kafka error).
/// </summary>
public static class CliInvoker
{
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellation = default)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parsed.Errors)
            {
                environment.Error.WriteLine($"usage error: {error.Message}");
            }
            environment.Error.WriteLine($"Run '{CommandPath(parsed)} --help' for usage.");
            return ExitCodes.BadUsage;
        }
        var configuration = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,
            ProcessTerminationTimeout = environment.InterruptGrace,
        };
        return await parsed.InvokeAsync(configuration, cancellation).ConfigureAwait(false);
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "akkastream" : result.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
