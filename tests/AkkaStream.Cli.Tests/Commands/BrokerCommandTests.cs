using System.Net;
using System.Net.Sockets;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Tests.TestSupport;

namespace AkkaStream.Cli.Tests.Commands;

/// <summary>
/// <c>akkastream broker</c> refusing a configuration mistake: exit code 2, one line naming the
/// file, the key and what is expected, and nothing left running (the data directory unlocked).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BrokerCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CliHarness _cli = new();

    public void Dispose() => _dir.Dispose();

    private string NodeFile(string extra)
    {
        var path = _dir.Sub($"node-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, $$"""
            akkastream {
              data-dir = "{{_dir.Sub("data")}}"
              journal.sqlite-path = "{{_dir.Sub("cluster.db")}}"
              listener.port = 0
              kafka.port = 0
              http.port = 0
            }
            {{extra}}
            """);
        return path;
    }

    [Fact]
    public async Task A_misspelt_key_in_the_file_is_refused_with_the_file_the_key_and_a_suggestion()
    {
        var file = NodeFile("akkastream.replica-lag-time-mx = 10s");

        var run = await _cli.RunAsync("broker", "--config", file);

        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Equal($"Invalid configuration: {file}: akkastream.replica-lag-time-mx: is not a setting the broker knows; did you mean akkastream.replica-lag-time-max?",
            run.Error.Trim());
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task A_bad_override_is_named_as_coming_from_set()
    {
        var run = await _cli.RunAsync("broker", "--config", NodeFile(""), "--set", "akkastream.broker-id=-1");

        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Equal("Invalid configuration: --set: akkastream.broker-id: expected an integer from 0 to 2147483647, found -1", run.Error.Trim());
    }

    [Fact]
    public async Task A_taken_kafka_port_stops_start_up_and_leaves_the_data_directory_unlocked()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var file = NodeFile($"akkastream.kafka.port = {port}");

        var run = await _cli.RunAsync("broker", "--config", file);

        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Equal($"Invalid configuration: {file}: akkastream.kafka.port: port {port} on 127.0.0.1 is already in use by another process; expected a free port (or 0 for any)",
            run.Error.Trim());
        DataDirectoryLock.Acquire(_dir.Sub("data")).Dispose();
    }

    [Fact]
    public async Task A_data_directory_in_use_by_a_running_broker_is_refused_naming_it_and_its_holder()
    {
        var dataDir = _dir.Sub("data");
        await using var running = await BrokerNode.StartAsync(Nodes.Config(dataDir, 1, _dir.Sub("running.db")));
        var file = NodeFile("");

        var run = await _cli.RunAsync("broker", "--config", file);

        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.StartsWith($"Invalid configuration: {file}: akkastream.data-dir: the data directory {dataDir} is in use by another broker " +
            $"(this process (pid {Environment.ProcessId}) holds {Path.Combine(dataDir, DataDirectoryLock.FileName)})", run.Error.Trim());
        Assert.False(running.WhenTerminated.IsCompleted);
    }
}
