using AkkaStream.Web.Console.Api;
using AkkaStream.Web.Console.Charts;
using AkkaStream.Web.Hosting;
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
        ConsoleAssets.Map(routes);
        ClusterApi.Map(routes, console);
        TopicsApi.Map(routes, console);
        LocalLogsApi.Map(routes, console);
        GroupsApi.Map(routes, console);
        RecordsApi.Map(routes, console);
        ChartsApi.Map(routes, console, sampler);
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
