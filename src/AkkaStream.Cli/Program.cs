using System.CommandLine;
using AkkaStream.Cli.Commands;

namespace AkkaStream.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var root = new RootCommand("AkkaStream: a Kafka-like streaming platform on Akka.NET")
        {
            BrokerCommand.Create(),
        };
        // Commands that run until stopped handle Ctrl-C and SIGTERM themselves, to stop gracefully.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
