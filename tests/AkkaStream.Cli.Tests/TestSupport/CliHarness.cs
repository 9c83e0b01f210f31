using System.CommandLine;
using AkkaStream.Cli.Commands;
using AkkaStream.Cli.Hosting;
using AkkaStream.Client;

namespace AkkaStream.Cli.Tests.TestSupport;

/// <summary>What one run of the command line left behind.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>
/// Runs the akkastream command line in memory: standard input from a string, output captured,
/// clients made by <paramref name="connect"/> (by default one that fails the test if called).
/// </summary>
public sealed class CliHarness(Func<IReadOnlyList<string>, AkkaStreamClient>? connect = null)
{
    /// <summary>The bootstrap entries the last client was connected with.</summary>
    public IReadOnlyList<string>? LastBootstrap { get; private set; }

    public RootCommand Root(CliEnvironment env) => new("akkastream")
    {
        BrokerCommand.Create(env),
        TopicsCommand.Create(env),
        ProduceCommand.Create(env),
        ConsumeCommand.Create(env),
        ClusterCommand.Create(env),
        GroupsCommand.Create(env),
        PerfCommand.Create(env),
    };

    public async Task<CliRun> RunWithInputAsync(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment(new StringReader(stdin), output, error, Connect, InterruptGrace: null);
        var exit = await CliInvoker.InvokeAsync(Root(env), args, env);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public Task<CliRun> RunAsync(params string[] args) => RunWithInputAsync("", args);

    /// <summary>Parses without running, for checking what the options read.</summary>
    public ParseResult Parse(params string[] args)
    {
        var env = new CliEnvironment(TextReader.Null, TextWriter.Null, TextWriter.Null, Connect, null);
        return Root(env).Parse(args);
    }

    private AkkaStreamClient Connect(IReadOnlyList<string> bootstrap)
    {
        LastBootstrap = bootstrap;
        return connect is null
            ? throw new InvalidOperationException("this test must not connect a client")
            : connect(bootstrap);
    }
}
