using System.Globalization;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Cli.Formatting;

/// <summary>The text of <c>cluster status</c>: the cluster id, the controller, then one line per broker. Pure.</summary>
public static class ClusterDescription
{
    public static IEnumerable<string> Lines(DescribeClusterResponse cluster)
    {
        yield return $"ClusterId: {cluster.ClusterId}";
        yield return $"Controller: {(cluster.ControllerId < 0 ? "none" : Number(cluster.ControllerId))}";
        foreach (var broker in cluster.Brokers.OrderBy(b => b.BrokerId))
        {
            var kafka = broker.KafkaHost.Length == 0 ? "" : $"\tKafka: {broker.KafkaHost}:{Number(broker.KafkaPort)}";
            yield return $"Broker: {Number(broker.BrokerId)}\tGateway: {broker.GatewayPath}{kafka}";
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
