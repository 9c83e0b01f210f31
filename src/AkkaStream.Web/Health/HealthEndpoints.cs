using AkkaStream.Broker.Hosting;
using AkkaStream.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Health;

/// <summary>
/// <c>/health/live</c>: 200 while the broker process runs its ActorSystem (a load balancer or
/// systemd restarts a broker that fails it). <c>/health/ready</c>: 200 once the broker can serve
/// (<see cref="BrokerReadiness"/>), 503 otherwise, with each check and what it saw as JSON.
/// </summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, BrokerHandle broker)
    {
        routes.MapGet("/health/live", () => broker.Node is { } node && node.System.WhenTerminated.IsCompleted
            ? Results.Json(new { status = "terminated" }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new { status = "live" }));
        routes.MapGet("/health/ready", () =>
        {
            if (broker.Node is not { } node)
            {
                return Results.Json(new { status = "starting", checks = Array.Empty<object>() }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            var checks = BrokerReadiness.Check(node);
            var ready = BrokerReadiness.IsReady(node);
            return Results.Json(new
            {
                status = ready ? "ready" : "not-ready",
                brokerId = node.Settings.BrokerId,
                checks = checks.Select(c => new { name = c.Name, passed = c.Passed, detail = c.Detail }),
            }, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}
