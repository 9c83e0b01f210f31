using System.CommandLine;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Web.Hosting;

namespace AkkaStream.Cli.Commands;

/// <summary><c>akkastream broker --config FILE --set key=value …</c>: runs one broker until Ctrl-C or SIGTERM, then stops it gracefully.</summary>
public static class BrokerCommand
{
    public static Command Create(CliEnvironment? environment = null)
    {
        var env = environment ?? CliEnvironment.FromConsole();
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
            LoadedConfig loaded;
            try
            {
                loaded = BrokerConfig.Open(parse.GetValue(config)?.FullName, parse.GetValue(set) ?? []);
            }
            catch (BrokerConfigException e)
            {
                await env.Error.WriteLineAsync($"Invalid configuration: {e.Message}");
                return ExitCodes.BadUsage;
            }
            using var signal = new ShutdownSignal();
            BrokerServer broker;
            try
            {
                broker = await BrokerServer.StartAsync(loaded.Config);
            }
            catch (BrokerConfigException e)
            {
                // A data directory in use or a port taken: found before anything started, so nothing is left running.
                await env.Error.WriteLineAsync($"Invalid configuration: {loaded.Sources.Attribute(e).Message}");
                return ExitCodes.BadUsage;
            }
            var node = broker.Node;
            var kafka = broker.Broker.ListenerSettings is { } listener ? $", Kafka on {listener.Host}:{listener.Port}" : "";
            var http = broker.HttpAddress is { } address ? $", console on {address}" : "";
            env.Out.WriteLine($"Broker {node.Settings.BrokerId} listening: {node.GatewayPath}{kafka}{http} (data in {node.Settings.DataDir}). Ctrl-C stops it.");
            // Runs until a stop signal, or until the cluster downs this node.
            await Task.WhenAny(Task.Delay(Timeout.Infinite, signal.Token), node.WhenTerminated).ContinueWith(_ => { }, TaskScheduler.Default);
            env.Out.WriteLine("Stopping: leaving the cluster and closing the logs...");
            await broker.StopAsync();
            env.Out.WriteLine("Stopped.");
            return 0;
        });
        return command;
    }
}
