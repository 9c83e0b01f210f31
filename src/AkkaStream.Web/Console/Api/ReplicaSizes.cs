using System.Net;
using System.Text.Json;
using AkkaStream.Broker.Hosting;
using AkkaStream.Records.Ids;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// The size of every replica in the cluster: this broker's from its own logs, the others' from their
/// <see cref="LocalLogsApi"/>, all asked at once with the peer timeout. A broker that does not answer
/// in time is left out (its replicas show no size) rather than holding the page.
/// </summary>
internal static class ReplicaSizes
{
    /// <summary>For each partition, the size of its replica on each broker that answered.</summary>
    public static async Task<IReadOnlyDictionary<TopicPartition, Dictionary<int, long>>> GatherAsync(
        ConsoleContext console, BrokerNode node, CancellationToken cancellationToken)
    {
        var self = new LocalLogsApi.LocalLogsView(node.Settings.BrokerId, LocalLogsApi.ViewOf(node.Logs.Statuses()));
        var peers = ClusterMember.Of(node).Where(m => m.IsServing && m.BrokerId != node.Settings.BrokerId)
            .Select(m => AskAsync(console, m.Http!, cancellationToken));
        var answers = await Task.WhenAll(peers).ConfigureAwait(false);
        var sizes = new Dictionary<TopicPartition, Dictionary<int, long>>();
        foreach (var answer in answers.Append(self))
        {
            if (answer is null) continue;
            foreach (var log in answer.Logs)
            {
                var tp = new TopicPartition(log.Topic, log.Partition);
                if (!sizes.TryGetValue(tp, out var byBroker)) sizes[tp] = byBroker = [];
                byBroker[answer.BrokerId] = log.SizeBytes;
            }
        }
        return sizes;
    }

    private static async Task<LocalLogsApi.LocalLogsView?> AskAsync(ConsoleContext console, Uri http, CancellationToken cancellationToken)
    {
        try
        {
            var (status, body) = await console.GetFromPeerAsync(http, LocalLogsApi.Path, cancellationToken).ConfigureAwait(false);
            return status == HttpStatusCode.OK ? JsonSerializer.Deserialize<LocalLogsApi.LocalLogsView>(body, JsonSerializerOptions.Web) : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }
}
