using System.CommandLine;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Web.Hosting;

namespace AkkaStream.Cli.Commands;

/// <summary><c>akkastream broker --config FILE --set key=value …</c>: runs one broker until Ctrl-C or SIGTERM, then stops it gracefully.</summary>
internal static class BrokerCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c")
        {
            Description = "The broker's HOCON file (e.g. hocon/node-1.conf); without it, a single broker in ./data on 127.0.0.1:2552",
        };
        var set = new Option<string[]>("--set")
        {
            Description = "Overrides a setting, e.g. --set akkastream.broker-id=2 (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("broker", "Runs an AkkaStream broker") { config, set };
        command.SetAction(async (parse, _) =>
        {
            Akka.Configuration.Config loaded;
            try
            {
                loaded = BrokerConfig.Load(parse.GetValue(config)?.FullName, parse.GetValue(set) ?? []);
            }
            catch (BrokerConfigException e)
            {
                await Console.Error.WriteLineAsync($"Invalid configuration: {e.Message}");
                return 2;
            }
            using var signal = new ShutdownSignal();
            BrokerServer broker;
            try
            {
                broker = await BrokerServer.StartAsync(loaded);
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
            var node = broker.Node;
            var kafka = broker.Broker.ListenerSettings is { } listener ? $", Kafka on {listener.Host}:{listener.Port}" : "";
            var http = broker.HttpAddress is { } address ? $", console on {address}" : "";
            Console.WriteLine($"Broker {node.Settings.BrokerId} listening: {node.GatewayPath}{kafka}{http} (data in {node.Settings.DataDir}). Ctrl-C stops it.");
            // Runs until a stop signal, or until the cluster downs this node.
            await Task.WhenAny(Task.Delay(Timeout.Infinite, signal.Token), node.WhenTerminated).ContinueWith(_ => { }, TaskScheduler.Default);
            Console.WriteLine("Stopping: leaving the cluster and closing the logs...");
            await broker.StopAsync();
            Console.WriteLine("Stopped.");
            return 0;
        });
        return command;
    }
}
