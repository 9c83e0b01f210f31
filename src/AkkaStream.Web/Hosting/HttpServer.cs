using System.Text.Encodings.Web;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Web.Console;
using AkkaStream.Web.Health;
using AkkaStream.Web.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Web.Hosting;

/// <summary>
/// A broker's HTTP listener (<c>akkastream.http</c>) on Kestrel: the console at <c>/</c>, metrics
/// and health. It is bound before the broker starts and serves the broker once attached.
/// </summary>
public sealed class HttpServer : IAsyncDisposable
{
    private const string PortKey = BrokerSettings.Root + ".http.port";

    private readonly WebApplication _app;
    private readonly IAsyncDisposable _console;

    private HttpServer(WebApplication app, IAsyncDisposable console, BrokerHandle broker, int port)
    {
        _app = app;
        _console = console;
        Broker = broker;
        Port = port;
    }

    public BrokerHandle Broker { get; }

    /// <summary>The bound port (the configured one, or the one picked for 0).</summary>
    public int Port { get; }

    /// <summary>Binds <paramref name="options"/>' address and starts serving.</summary>
    /// <exception cref="BrokerConfigException">The address cannot be bound (taken, or not this machine's), naming <c>akkastream.http.port</c>.</exception>
    public static async Task<HttpServer> StartAsync(HttpListenerOptions options, BrokerHandle broker)
    {
        // A taken port is named before Kestrel starts; the catch below covers one taken in between.
        PortCheck.EnsureFree(PortKey, options.Host, options.Port);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Nothing is read from disk (the console's files are embedded, settings are HOCON), so
            // nothing is watched: by default the host watches its content root, the working
            // directory, with every directory under it for appsettings.json, and a broker started
            // beside its data directory then spent an eighth of its CPU on the log writes' events.
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new BrokerLogProvider(broker));
        // Kestrel logs every connection at Information; only its warnings and errors are worth a broker's log.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        // The default encoder, not ASP.NET Core's relaxed one: JSON carrying record bytes as text
        // escapes <, > and & too, so that no answer can be read as markup.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = JavaScriptEncoder.Default);
        var app = builder.Build();
        HealthEndpoints.Map(app, broker);
        MetricsEndpoint.Map(app, broker);
        var console = ConsoleEndpoints.Map(app, broker);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await console.DisposeAsync().ConfigureAwait(false);
            throw new BrokerConfigException(PortKey, $"the HTTP listener cannot bind {options.Host}:{options.Port} ({e.Message}); expected a free port (or 0 for any)", e);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new HttpServer(app, console, broker, new Uri(address).Port);
    }

    public async Task StopAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        await _console.DisposeAsync().ConfigureAwait(false);
    }
}
