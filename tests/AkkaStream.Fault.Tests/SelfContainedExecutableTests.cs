using AkkaStream.Fault.Processes;
using Xunit.Abstractions;

namespace AkkaStream.Fault.Tests;

/// <summary>
/// The self-contained executable deploy/publish.sh makes (tests/run-all.sh publishes it for this
/// machine before the tests): started as a broker in an empty directory with no .NET installation
/// in play and no file beside it but the node file, it finds its embedded reference
/// configuration, extracts SQLite's native library, serves the same executable's admin commands,
/// and stops on SIGTERM as a service manager stops it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SelfContainedExecutableTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_published_executable_runs_a_broker_and_its_admin_commands_and_stops_on_sigterm()
    {
        var executable = BrokerLauncher.PublishedExecutable();
        output.WriteLine($"{executable}: {new FileInfo(executable).Length / (1024.0 * 1024.0):F1} MiB");
        var extract = Path.Combine(Path.GetTempPath(), $"akkastream-extract-{Guid.NewGuid():N}");
        try
        {
            await using var cluster = await LocalCluster.StartAsync(1, TimeSpan.FromSeconds(90), ["akkastream.default-replication-factor = 1"],
                launcher: BrokerLauncher.Published(extract));
            var broker = cluster.Broker(1);

            var created = await RunAsync(executable, "topics", "create", "--topic", "from-the-executable", "--partitions", "2", "--bootstrap", broker.Endpoint);
            Assert.True(created.ExitCode == 0, created.Printed);
            var status = await RunAsync(executable, "cluster", "status", "--bootstrap", broker.Endpoint);
            Assert.True(status.ExitCode == 0, status.Printed);
            Assert.Contains("Controller: 1", status.Output);
            var listed = await RunAsync(executable, "topics", "list", "--bootstrap", broker.Endpoint);
            Assert.Contains("from-the-executable", listed.Output);

            // The embedded SQLite library was extracted where the bundle was told, and the journal is the default file.
            Assert.NotEmpty(Directory.GetFiles(extract, "libe_sqlite3*", SearchOption.AllDirectories));
            Assert.True(File.Exists(broker.JournalPath), $"no SQLite journal at {broker.JournalPath}");

            Assert.True(await broker.StopAsync(LocalCluster.StopTimeout), "the broker did not stop on SIGTERM in time");
            Assert.Equal(0, broker.ExitCode);
        }
        finally
        {
            if (Directory.Exists(extract)) Directory.Delete(extract, recursive: true);
        }
    }

    private static Task<ProgramResult> RunAsync(string executable, params string[] arguments) =>
        ExternalProgram.RunAsync(executable, arguments, CommandTimeout);
}
