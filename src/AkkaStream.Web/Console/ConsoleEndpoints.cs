using AkkaStream.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Console;

/// <summary>The web console at <c>/</c>.</summary>
public static class ConsoleEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, BrokerHandle broker)
    {
        routes.MapGet("/", () => broker.Node is { } node
            ? Results.Content($"<!doctype html><title>AkkaStream broker {node.Settings.BrokerId}</title><h1>AkkaStream broker {node.Settings.BrokerId}</h1>", "text/html")
            : Results.Content("<!doctype html><title>AkkaStream</title><h1>AkkaStream broker starting</h1>", "text/html", statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
