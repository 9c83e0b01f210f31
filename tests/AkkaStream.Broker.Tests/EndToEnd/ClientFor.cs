using Akka.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Client;

namespace AkkaStream.Broker.Tests.EndToEnd;

/// <summary>Starts the real client in its own ActorSystem, bootstrapped by host:port as a command line would give it.</summary>
public static class ClientFor
{
    /// <summary>The <c>--bootstrap</c> entry of a broker: the host and port of its Akka.Remote endpoint.</summary>
    public static string Bootstrap(BrokerNode node) => $"{node.Settings.PublicHost}:{node.Cluster.SelfAddress.Port}";

    public static AkkaStreamClient Create(IEnumerable<BrokerNode> nodes, params string[] extra)
    {
        var servers = string.Join(", ", nodes.Select(n => $"\"{Bootstrap(n)}\""));
        var lines = new List<string>
        {
            $"akkastream.client.bootstrap-servers = [{servers}]",
            "akkastream.client.request-timeout = 15s",
        };
        lines.AddRange(extra);
        return AkkaStreamClient.Create(ConfigurationFactory.ParseString(string.Join("\n", lines)));
    }
}
