using Akka.Configuration;
using AkkaStream.Client;

namespace AkkaStream.Cli.Hosting;

/// <summary>
/// What a command may touch outside its arguments: the three standard streams and the way it
/// connects a client. Commands never use <see cref="Console"/> directly, so tests hand them
/// in-memory readers and writers and a client inside a test ActorSystem. Immutable.
/// </summary>
/// <param name="Connect">Starts a client whose bootstrap servers are the given entries.</param>
/// <param name="InterruptGrace">
/// How long an interrupted command (Ctrl-C) may take to finish after its cancellation token fires;
/// null leaves Ctrl-C to the process (tests).
/// </param>
public sealed record CliEnvironment(
    TextReader In,
    TextWriter Out,
    TextWriter Error,
    Func<IReadOnlyList<string>, AkkaStreamClient> Connect,
    TimeSpan? InterruptGrace)
{
    /// <summary>Whether <see cref="Error"/> is a terminal: progress is then rewritten in place rather than written line by line.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>
    /// The client's own ActorSystem must stay silent: Akka logs to standard output, which
    /// <c>consume</c> reserves for records. Failures reach the user as the commands' errors.
    /// </summary>
    private const string QuietClientSystem = """
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """;

    /// <summary>
    /// The process's console and a client in its own ActorSystem. After Ctrl-C a command gets up to
    /// 30 s to finish: long enough for a broker to hand its partitions over, leave the cluster and
    /// close its logs.
    /// </summary>
    public static CliEnvironment FromConsole() =>
        new(Console.In, Console.Out, Console.Error, ConnectOwnSystem, TimeSpan.FromSeconds(30)) { ErrorIsTerminal = !Console.IsErrorRedirected };

    /// <summary>Starts a client in its own ActorSystem that bootstraps from <paramref name="bootstrap"/>.</summary>
    public static AkkaStreamClient ConnectOwnSystem(IReadOnlyList<string> bootstrap) =>
        AkkaStreamClient.Create(ConfigurationFactory.ParseString(BootstrapConfig(bootstrap) + "\n" + QuietClientSystem));

    /// <summary>HOCON that sets <c>akkastream.client.bootstrap-servers</c> to <paramref name="bootstrap"/>.</summary>
    public static string BootstrapConfig(IReadOnlyList<string> bootstrap) =>
        "akkastream.client.bootstrap-servers = [" + string.Join(", ", bootstrap.Select(Quote)) + "]";

    private static string Quote(string entry) =>
        "\"" + entry.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
