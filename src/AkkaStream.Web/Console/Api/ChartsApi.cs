using AkkaStream.Records.Errors;
using AkkaStream.Web.Console.Charts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// <c>GET /api/charts</c>: this broker's last few minutes of bytes in/out per second and mean
/// request latency per API (<see cref="ChartSampler"/>), which the page polls. With
/// <c>?broker=N</c> it answers another broker's, asked of that broker's listener, so that the
/// page (which may only talk to the broker that served it) can chart any broker.
/// </summary>
internal static class ChartsApi
{
    public sealed record ChartsView(int BrokerId, int IntervalMs, IReadOnlyList<ChartSampler.ChartPoint> Points);

    public static void Map(IEndpointRouteBuilder routes, ConsoleContext console, ChartSampler sampler)
    {
        routes.MapGet("/api/charts", (string? broker, CancellationToken cancel) => console.Run(async (node, _, ct) =>
        {
            if (!QueryValues.TryLong(broker, "broker", node.Settings.BrokerId, 0, int.MaxValue, out var id, out var error))
            {
                return error!;
            }
            if (id == node.Settings.BrokerId)
            {
                return Results.Json(new ChartsView(node.Settings.BrokerId, (int)ChartSampler.Interval.TotalMilliseconds, sampler.Points()));
            }
            var peer = ClusterMember.Of(node).FirstOrDefault(m => m.BrokerId == id && m.IsServing);
            if (peer is null)
            {
                // An id the page did not get from /api/cluster: the caller's mistake, so 404 rather than 503.
                return ApiError.Result(ErrorCode.BrokerNotAvailable, $"broker {id} is not an up, reachable member with an HTTP listener",
                    StatusCodes.Status404NotFound);
            }
            var (status, body) = await console.GetFromPeerAsync(peer.Http!, "/api/charts", ct).ConfigureAwait(false);
            if (status != System.Net.HttpStatusCode.OK)
            {
                return ApiError.Result(ErrorCode.BrokerNotAvailable, $"broker {id}'s listener answered {(int)status}");
            }
            return Results.Text(body, "application/json", System.Text.Encoding.UTF8);
        }, cancel));
    }
}
