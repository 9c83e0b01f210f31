using System.CommandLine;
using AkkaStream.Cli.Commands;
using AkkaStream.Cli.Hosting;

var root = new RootCommand("AkkaStream: a Kafka-like streaming platform on Akka.NET")
{
    BrokerCommand.Create(),
    TopicsCommand.Create(),
    ProduceCommand.Create(),
    ConsumeCommand.Create(),
    ClusterCommand.Create(),
    GroupsCommand.Create(),
    PerfCommand.Create(),
};
return await CliInvoker.InvokeAsync(root, args, CliEnvironment.FromConsole());
