using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Metadata;
using AkkaStream.Client.Consumer;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// <c>GET /api/topics</c> and <c>GET /api/topics/{topic}</c>: every topic's partitions as the
/// controller last published them (leader, epoch, replicas, ISR), with the log start offset and high
/// watermark asked of each leader (ListOffsets, as a consumer asks) and each replica's size on disk
/// (<see cref="ReplicaSizes"/>).
/// </summary>
internal static class TopicsApi
{
    /// <param name="LogStartOffset">Null when the leader could not be asked (offline, or no answer in time).</param>
    /// <param name="HighWatermark">The end offset consumers read up to; null as above.</param>
    /// <param name="SizeBytes">The leader's replica's size; null when its broker did not answer.</param>
    /// <param name="ReplicaSizes">Each answering replica's size, by broker id.</param>
    public sealed record PartitionView(
        int Partition, int Leader, int LeaderEpoch, IReadOnlyList<int> Replicas, IReadOnlyList<int> Isr,
        bool UnderReplicated, bool Offline, long? LogStartOffset, long? HighWatermark, long? SizeBytes,
        IReadOnlyDictionary<int, long> ReplicaSizes);

    public sealed record TopicView(string Name, Guid TopicId, IReadOnlyDictionary<string, string> Configs, IReadOnlyList<PartitionView> Partitions);

    public static void Map(IEndpointRouteBuilder routes, ConsoleContext console)
    {
        routes.MapGet("/api/topics", (CancellationToken cancel) => console.Run(async (node, client, ct) =>
        {
            var topics = node.Metadata.Current.Topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
            return Results.Json(await ViewsAsync(console, node, client.CreateBrowser(), topics, ct).ConfigureAwait(false));
        }, cancel));
        routes.MapGet("/api/topics/{topic}", (string topic, CancellationToken cancel) => console.Run(async (node, client, ct) =>
        {
            if (!node.Metadata.Current.Topics.TryGetValue(topic, out var state))
            {
                return ApiError.Result(ErrorCode.UnknownTopicOrPartition, $"there is no topic '{topic}'");
            }
            return Results.Json((await ViewsAsync(console, node, client.CreateBrowser(), [state], ct).ConfigureAwait(false))[0]);
        }, cancel));
    }

    private static async Task<IReadOnlyList<TopicView>> ViewsAsync(
        ConsoleContext console, BrokerNode node, PartitionBrowser browser, IReadOnlyList<TopicState> topics, CancellationToken cancellationToken)
    {
        var sizes = ReplicaSizes.GatherAsync(console, node, cancellationToken);
        var partitions = topics.SelectMany(t => t.Partitions.Select(p => (Topic: t, Partition: p))).ToArray();
        var starts = partitions.Select(p => OffsetOrNull(browser, p.Topic.Name, p.Partition, ListOffsetsRequest.Earliest, cancellationToken)).ToArray();
        var ends = partitions.Select(p => OffsetOrNull(browser, p.Topic.Name, p.Partition, ListOffsetsRequest.Latest, cancellationToken)).ToArray();
        await Task.WhenAll(starts.Cast<Task>().Concat(ends).Append(sizes)).ConfigureAwait(false);
        var replicaSizes = await sizes.ConfigureAwait(false);
        var views = new List<TopicView>(topics.Count);
        var index = 0;
        foreach (var topic in topics)
        {
            var partitionViews = new List<PartitionView>(topic.Partitions.Count);
            foreach (var p in topic.Partitions)
            {
                var bySize = replicaSizes.TryGetValue(new TopicPartition(topic.Name, p.Partition), out var s) ? s : [];
                partitionViews.Add(new PartitionView(p.Partition, p.Leader, p.LeaderEpoch, p.Replicas, p.Isr,
                    UnderReplicated: p.Isr.Count < p.Replicas.Count, Offline: p.Leader < 0,
                    starts[index].Result, ends[index].Result, bySize.TryGetValue(p.Leader, out var size) ? size : null, bySize));
                index++;
            }
            views.Add(new TopicView(topic.Name, topic.Id, topic.Configs, partitionViews));
        }
        return views;
    }

    /// <summary>One partition's offset from its leader, or null when it has none or does not answer: one partition must not fail the page.</summary>
    private static async Task<long?> OffsetOrNull(PartitionBrowser browser, string topic, PartitionState partition, long timestamp, CancellationToken cancellationToken)
    {
        if (partition.Leader < 0) return null;
        try
        {
            return await browser.OffsetForAsync(new TopicPartition(topic, partition.Partition), timestamp, cancellationToken).ConfigureAwait(false);
        }
        catch (AkkaStreamException)
        {
            return null;
        }
    }
}
