using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Handlers;
using AkkaStream.Kafka.Protocol.Framing;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Kafka.Listener;

/// <summary>
/// The broker's Kafka wire-protocol endpoint: a TCP socket bound before the broker starts (so that
/// a port of 0 can be advertised as the port it got), an accept loop started once the handlers have
/// their broker, and one <see cref="KafkaConnection"/> per client. Stopping closes the socket,
/// cancels every connection and waits (bounded) for them to end. Thread-safe.
/// </summary>
public sealed class KafkaListener : IAsyncDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private Task _accepting = Task.CompletedTask;
    private int _nextConnection;
    private int _stopped;

    private KafkaListener(Socket socket) => _socket = socket;

    /// <summary>The port the socket is bound to (the configured one, or the one the system picked for 0).</summary>
    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Binds <paramref name="host"/>:<paramref name="port"/> and listens; nothing is accepted before <see cref="Start"/>.</summary>
    /// <exception cref="SocketException">The address is taken or cannot be bound.</exception>
    public static KafkaListener Bind(string host, int port)
    {
        var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host)[0];
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(512);
            return new KafkaListener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts accepting clients, each served by <paramref name="handlers"/> in <paramref name="context"/>.</summary>
    public void Start(KafkaRequestContext context, KafkaApiHandlers handlers, ILogger logger)
    {
        var frames = new FrameDecoder(context.Listener.MaxRequestBytes, logger);
        var requests = new RequestDecoder(SupportedApis.Default, logger);
        _accepting = Task.Run(() => AcceptAsync(context, handlers, frames, requests, logger));
    }

    private async Task AcceptAsync(KafkaRequestContext context, KafkaApiHandlers handlers, FrameDecoder frames, RequestDecoder requests, ILogger logger)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested) return;
                logger.LogWarning(e, "Kafka listener: accept failed");
                continue;
            }
            client.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnection);
            var connection = new KafkaConnection(client, context, handlers, frames, requests, logger);
            _connections[id] = Task.Run(async () =>
            {
                try
                {
                    await connection.RunAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Kafka connection {Id} ended with an error", id);
                }
                finally
                {
                    _connections.TryRemove(id, out _);
                }
            });
        }
    }

    /// <summary>Stops accepting, closes every connection, and waits for them (at most a few seconds).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        var running = _connections.Values.Append(_accepting).ToArray();
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(StopWait)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
