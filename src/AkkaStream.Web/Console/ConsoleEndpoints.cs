using AkkaStream.Web.Console.Api;
using AkkaStream.Web.Console.Charts;
using AkkaStream.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Console;

/// <summary>
/// The web console: the page at <c>/</c> (<see cref="ConsoleAssets"/>) and the JSON API under
/// <c>/api/</c> it polls (docs/CONSOLE.md lists the endpoints).
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>Maps the console; the returned object owns its client and chart sampler, and is disposed with the listener.</summary>
    public static IAsyncDisposable Map(IEndpointRouteBuilder routes, BrokerHandle broker)
    {
        var console = new ConsoleContext(broker);
        var sampler = new ChartSampler(broker);
        // Nothing the console serves may be cached: the page must match the broker's version, and
        // every answer describes the cluster at the moment it was asked.
        var uncached = routes.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context).ConfigureAwait(false);
        });
        ConsoleAssets.Map(uncached);
        ClusterApi.Map(uncached, console);
        TopicsApi.Map(uncached, console);
        LocalLogsApi.Map(uncached, console);
        GroupsApi.Map(uncached, console);
        RecordsApi.Map(uncached, console);
        ChartsApi.Map(uncached, console, sampler);
        return new Owned(console, sampler);
    }

    private sealed class Owned(ConsoleContext console, ChartSampler sampler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await sampler.DisposeAsync().ConfigureAwait(false);
            await console.DisposeAsync().ConfigureAwait(false);
        }
    }
}
