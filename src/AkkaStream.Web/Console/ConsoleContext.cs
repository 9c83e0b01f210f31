using System.Net;
using Akka.Configuration;
using Akka.Event;
using AkkaStream.Broker.Hosting;
using AkkaStream.Client;
using AkkaStream.Client.Configuration;
using AkkaStream.Records.Errors;
using AkkaStream.Web.Console.Api;
using AkkaStream.Web.Hosting;
using Microsoft.AspNetCore.Http;

namespace AkkaStream.Web.Console;

/// <summary>
/// What the console's endpoints share: the broker, an actor client living in the broker's own
/// ActorSystem (no second ActorSystem: it sends the public protocol to this broker's gateway, which
/// routes to leaders and coordinators as for any client), and an HTTP client for the other brokers'
/// listeners. Thread-safe: the client is made once, on first use after the broker has started.
/// </summary>
public sealed class ConsoleContext(BrokerHandle broker) : IAsyncDisposable
{
    /// <summary>
    /// How long a console request waits for the cluster. Short, because an operator looks at a page
    /// that refreshes itself: a partition without a leader shows as such rather than holding the page.
    /// </summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long another broker's HTTP listener gets to answer (health, log sizes).</summary>
    public static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    /// <summary>For other brokers' listeners; each call bounds itself with <see cref="PeerTimeout"/>.</summary>
    private readonly HttpClient _peers = new() { Timeout = Timeout.InfiniteTimeSpan };
    private AkkaStreamClient? _client;

    public BrokerHandle Broker { get; } = broker;


    /// <summary>
    /// GETs <paramref name="path"/> from another broker's HTTP listener, giving up after
    /// <see cref="PeerTimeout"/> (an <see cref="OperationCanceledException"/>), and returns the status and body.
    /// </summary>
    /// <exception cref="HttpRequestException">The listener refused the connection.</exception>
    public async Task<(HttpStatusCode Status, string Body)> GetFromPeerAsync(Uri listener, string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PeerTimeout);
        using var response = await _peers.GetAsync(new Uri(listener, path), timeout.Token).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false));
    }

    /// <summary>The started broker and the console's client, or false while the broker starts.</summary>
    public bool TryGet(out BrokerNode node, out AkkaStreamClient client)
    {
        if (Broker.Node is not { } started)
        {
            (node, client) = (null!, null!);
            return false;
        }
        node = started;
        lock (_gate)
        {
            _client ??= AkkaStreamClient.Create(started.System, ClientSettings.Create(ConfigurationFactory.ParseString(
                $"akkastream.client {{ bootstrap-servers = [\"{started.GatewayPath}\"], request-timeout = {(int)RequestTimeout.TotalMilliseconds}ms }}")));
            client = _client;
        }
        return true;
    }

    /// <summary>
    /// Runs an endpoint against the started broker, turning a refusal into its Kafka error code: the
    /// cluster's own refusals keep theirs, a timeout is <c>RequestTimedOut</c>, anything else
    /// <c>UnknownServerError</c> (503, and logged in the broker's log).
    /// </summary>
    public async Task<IResult> Run(Func<BrokerNode, AkkaStreamClient, CancellationToken, Task<IResult>> endpoint, CancellationToken cancellationToken)
    {
        if (!TryGet(out var node, out var client))
        {
            return ApiError.Result(ErrorCode.BrokerNotAvailable, "the broker is starting");
        }
        try
        {
            return await endpoint(node, client, cancellationToken).ConfigureAwait(false);
        }
        catch (AkkaStreamException e)
        {
            return ApiError.Result(e.Code, e.Message);
        }
        catch (Exception e) when (e is TimeoutException or Akka.Actor.AskTimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ApiError.Result(ErrorCode.RequestTimedOut, $"the cluster did not answer in time: {e.Message}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Logging.GetLogger(node.System, typeof(ConsoleContext)).Warning(e, "A console request failed");
            return ApiError.Result(ErrorCode.UnknownServerError, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _peers.Dispose();
        AkkaStreamClient? client;
        lock (_gate) client = _client;
        if (client is not null) await client.DisposeAsync().ConfigureAwait(false);
    }
}
