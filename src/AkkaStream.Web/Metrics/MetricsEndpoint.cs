using AkkaStream.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Metrics;

/// <summary><c>/metrics</c>: the broker's registry in Prometheus's text exposition format.</summary>
public static class MetricsEndpoint
{
    /// <summary>The content type Prometheus's scraper expects for the text format.</summary>
    private const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Map(IEndpointRouteBuilder routes, BrokerHandle broker)
    {
        routes.MapGet("/metrics", async (HttpContext context) =>
        {
            if (broker.Node is not { } node)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            context.Response.ContentType = ContentType;
            await node.Metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
    }
}
