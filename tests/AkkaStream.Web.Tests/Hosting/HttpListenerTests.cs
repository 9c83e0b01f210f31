using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Web.Hosting;
using AkkaStream.Web.Tests.Support;

namespace AkkaStream.Web.Tests.Hosting;

/// <summary>The HTTP listener of a real broker: health, metrics, its published address, and a taken port.</summary>
public sealed class HttpListenerTests
{
    [Fact]
    public async Task A_started_broker_is_live_and_becomes_ready_with_every_check_passed()
    {
        await using var broker = await WebBroker.StartAsync();
        var live = await broker.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        JsonElement ready = default;
        await Eventually.True(async () =>
        {
            var response = await broker.Http.GetAsync("/health/ready");
            ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "the broker reports ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(1, ready.GetProperty("brokerId").GetInt32());
        var checks = ready.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(["logs", "cluster", "metadata"], checks.Select(c => c.GetProperty("name").GetString()));
        Assert.All(checks, c => Assert.True(c.GetProperty("passed").GetBoolean()));
    }

    [Fact]
    public async Task A_broker_that_has_left_the_cluster_is_no_longer_ready()
    {
        var broker = await WebBroker.StartAsync();
        await using (broker)
        {
            await Eventually.True(async () => (await broker.Http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), "the broker reports ready");
            // Leaving makes the member Leaving/Exiting: no longer Up, so not ready, while the process still runs.
            broker.Server.Node.Cluster.Leave(broker.Server.Node.Cluster.SelfAddress);
            await Eventually.True(async () =>
            {
                try
                {
                    return (await broker.Http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable;
                }
                catch (HttpRequestException)
                {
                    // Shutdown after leaving stops the listener: also not ready.
                    return true;
                }
            }, TimeSpan.FromSeconds(60), "a leaving broker reports not ready");
        }
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_text_format()
    {
        await using var broker = await WebBroker.StartAsync();
        var response = await broker.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE process_cpu_seconds_total counter", text);
    }

    [Fact]
    public async Task The_broker_publishes_its_http_address_in_its_cluster_roles()
    {
        await using var broker = await WebBroker.StartAsync();
        var roles = broker.Server.Node.Cluster.SelfMember.Roles;
        Assert.True(HttpListenerOptions.TryParseRole(roles, out var host, out var port));
        Assert.Equal("127.0.0.1", host);
        Assert.Equal(broker.Server.Http!.Port, port);
        Assert.NotEqual(0, port);
    }

    [Fact]
    public async Task A_taken_http_port_stops_start_up_naming_the_setting_and_leaves_the_data_directory_free()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var dir = new TempDir();
        var config = Nodes.Config(dir.Sub("data"), 1, dir.Sub("cluster.db"), null, "akkastream.kafka.port = 0", $"akkastream.http.port = {port}");

        var error = await Assert.ThrowsAsync<IOException>(() => BrokerServer.StartAsync(config));
        Assert.Contains("akkastream.http.port", error.Message);
        Assert.Contains($"127.0.0.1:{port}", error.Message);

        taken.Stop();
        await using var started = await BrokerServer.StartAsync(config);
        Assert.Equal(port, started.Http!.Port);
    }

    [Fact]
    public async Task With_http_off_the_broker_runs_without_a_listener()
    {
        await using var broker = await WebBroker.StartAsync("akkastream.http.enabled = off");
        Assert.Null(broker.Server.Http);
        Assert.Null(broker.Server.HttpAddress);
        Assert.False(HttpListenerOptions.TryParseRole(broker.Server.Node.Cluster.SelfMember.Roles, out _, out _));
    }
}
