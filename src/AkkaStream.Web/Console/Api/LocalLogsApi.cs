using AkkaStream.Broker.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// <c>GET /api/local/logs</c>: the logs this broker holds (leader and follower replicas) with their
/// size on disk and offsets. Sizes exist only where the replicas are, so a console asks each broker
/// for its own rather than routing a request per partition through the cluster.
/// </summary>
internal static class LocalLogsApi
{
    public const string Path = "/api/local/logs";

    /// <param name="HighWatermark">As the log's leader or follower last published it (the checkpointed one while nobody holds the log; -1 unknown).</param>
    public sealed record LocalLogView(string Topic, int Partition, long SizeBytes, long LogStartOffset, long LogEndOffset, long HighWatermark);

    public sealed record LocalLogsView(int BrokerId, IReadOnlyList<LocalLogView> Logs);

    public static void Map(IEndpointRouteBuilder routes, ConsoleContext console)
    {
        routes.MapGet(Path, (CancellationToken cancel) => console.Run((node, _, _) =>
            Task.FromResult(Results.Json(new LocalLogsView(node.Settings.BrokerId, ViewOf(node.Logs.Statuses())))), cancel));
    }

    public static IReadOnlyList<LocalLogView> ViewOf(IReadOnlyList<LogStatus> logs) =>
        logs.OrderBy(l => l.Partition)
            .Select(l => new LocalLogView(l.Partition.Topic, l.Partition.Partition, l.SizeBytes, l.LogStartOffset, l.LogEndOffset, l.HighWatermark))
            .ToArray();
}
