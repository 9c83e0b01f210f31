using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using AkkaStream.Broker.EventLogging;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Handlers;
using AkkaStream.Protocol.Messages;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Broker.Metrics;
using AkkaStream.Records.Errors;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Kafka.Listener;

/// <summary>
/// One client connection. The read loop cuts whole frames out of the socket's bytes, decodes each
/// synchronously and starts its handler at once, so many requests are in flight; the write loop
/// sends the responses strictly in request order (Kafka clients match them by position as well as
/// by correlation id), awaiting each handler in turn. A produce with acks=0 gets no response.
/// A frame that cannot be read (too large, truncated, malformed, unknown API or version) closes
/// this connection only, with a request-refused line naming the peer and its client id. Owned by the listener; each loop runs on its
/// own task and they share nothing but the queue of pending responses.
/// </summary>
internal sealed class KafkaConnection(
    Socket socket,
    KafkaRequestContext context,
    KafkaApiHandlers handlers,
    FrameDecoder frames,
    RequestDecoder requests,
    ILogger logger)
{
    /// <summary>Requests read ahead of their responses; past this the read loop waits (back-pressure, not an error).</summary>
    private const int MaxInFlight = 128;

    /// <param name="Meters">The API's request metrics, and <paramref name="Received"/> when the request was read: the answer is timed once written.</param>
    private sealed record PendingResponse(ApiDeclaration Api, short Version, int CorrelationId, Task<MessageStruct> Response,
        RequestMeters? Meters = null, long Received = 0);

    private readonly Channel<PendingResponse> _pending = Channel.CreateBounded<PendingResponse>(
        new BoundedChannelOptions(MaxInFlight) { SingleReader = true, SingleWriter = true });

    private readonly string _peer = socket.RemoteEndPoint?.ToString() ?? "?";

    /// <summary>What this connection's handlers see: the listener's context with the client's host.</summary>
    private readonly KafkaRequestContext _context = context with { ClientHost = ClientHosts.Of(socket.RemoteEndPoint) };

    // One refusal closes the connection: nothing to aggregate within it.
    private readonly RefusedRequests _refused = new(new EventLog(logger, context.BrokerId), TimeSpan.Zero);

    public async Task RunAsync(CancellationToken stopping)
    {
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        // The stream is disposed once, at the end; the pipes must not close it under each other.
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        var writing = WriteResponsesAsync(writer, closing.Token);
        try
        {
            if (!await ReadRequestsAsync(reader, closing.Token).ConfigureAwait(false))
            {
                // A bad frame: nothing more is answered on this connection.
                closing.Cancel();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            closing.Cancel();
        }
        finally
        {
            _pending.Writer.TryComplete();
        }
        try
        {
            await writing.ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or the listener stops: the connection closes either way.
        }
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Reads until the peer closes (true) or a frame is refused (false).</summary>
    private async Task<bool> ReadRequestsAsync(PipeReader reader, CancellationToken cancellation)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellation).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (true)
            {
                var status = TakeFrame(ref buffer, result.IsCompleted, out var frame);
                if (status == FrameStatus.Rejected) return false;
                if (status == FrameStatus.Incomplete) break;
                using (frame)
                {
                    if (!await DispatchAsync(frame!, cancellation).ConfigureAwait(false)) return false;
                }
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) return true;
        }
    }

    /// <summary>Takes the next whole frame from <paramref name="buffer"/>, moving the buffer past it.</summary>
    private FrameStatus TakeFrame(ref ReadOnlySequence<byte> buffer, bool endOfStream, out PooledFrame? frame)
    {
        var status = frames.TryTakeFrame(buffer, endOfStream, out frame, out var consumed, out var rejection);
        if (status == FrameStatus.Complete) buffer = buffer.Slice(consumed);
        if (rejection is not null) Reject(rejection, header: null);
        return status;
    }

    /// <summary>Writes the request-refused line of a frame that closes the connection; <paramref name="header"/> when it could be read.</summary>
    private void Reject(FrameRejection rejection, RequestHeader? header)
    {
        var error = rejection.Reason switch
        {
            RejectionReason.UnknownApiKey or RejectionReason.UnsupportedVersion => ErrorCode.UnsupportedVersion,
            RejectionReason.TooLarge => ErrorCode.MessageTooLarge,
            _ => ErrorCode.InvalidRequest,
        };
        var api = header is null ? "frame" : RefusedRequests.KebabCase(header.ApiKey.ToString());
        _refused.Write(api, error, null, -1, ClientOf(header), $"{rejection}; connection closed");
    }

    /// <summary>The peer's address, and the client id its request header gave.</summary>
    private string ClientOf(RequestHeader? header) => header?.ClientId is { Length: > 0 } id ? $"{_peer}/{id}" : _peer;

    /// <summary>Decodes one frame and starts its handler; false when the connection must close.</summary>
    private async ValueTask<bool> DispatchAsync(PooledFrame frame, CancellationToken cancellation)
    {
        if (!requests.TryDecode(frame.Span, out var request, out var header, out var rejection))
        {
            if (rejection!.Reason == RejectionReason.UnsupportedVersion && header!.ApiKey == ApiKey.ApiVersions)
            {
                // KIP-511: answered in the v0 layout with the supported ranges, so the client retries lower.
                var answer = ApiVersionsResponses.Build(SupportedApis.Default, ErrorCode.UnsupportedVersion);
                await _pending.Writer.WriteAsync(new PendingResponse(ApiVersionsApi.Declaration, 0, header.CorrelationId,
                    Task.FromResult(answer)), cancellation).ConfigureAwait(false);
                return true;
            }
            Reject(rejection!, header);
            return false;
        }
        if (!handlers.TryGet(request!.Header.ApiKey, out var handler))
        {
            Reject(new FrameRejection(RejectionReason.UnknownApiKey, "no handler serves it"), request.Header);
            return false;
        }
        var meters = _context.Requests.For(request.Header.ApiKey.ToString());
        var received = meters.Received();
        var response = Handle(handler, request, cancellation);
        if (!ExpectsResponse(request))
        {
            _ = response.ContinueWith(t =>
            {
                if (t.IsFaulted) logger.LogWarning(t.Exception, "Kafka {Api} (no response expected) failed", request.Header.ApiKey);
                else meters.Answered(received);
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return true;
        }
        await _pending.Writer.WriteAsync(new PendingResponse(request.Api, request.Header.ApiVersion, request.Header.CorrelationId, response,
            meters, received), cancellation).ConfigureAwait(false);
        return true;
    }

    private Task<MessageStruct> Handle(IKafkaApiHandler handler, DecodedRequest request, CancellationToken cancellation)
    {
        try
        {
            return handler.HandleAsync(_context, request, cancellation);
        }
        catch (Exception e)
        {
            return Task.FromException<MessageStruct>(e);
        }
    }

    /// <summary>Kafka's one exception to "every request is answered": a produce with acks=0.</summary>
    private static bool ExpectsResponse(DecodedRequest request) =>
        request.Header.ApiKey != ApiKey.Produce || request.Body.Get<short>("Acks") != 0;

    private async Task WriteResponsesAsync(PipeWriter writer, CancellationToken cancellation)
    {
        await foreach (var pending in _pending.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            MessageStruct body;
            try
            {
                body = await pending.Response.WaitAsync(cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A handler must answer every failure with an error code; one that throws is a bug,
                // and the client cannot be given a response in its place, so the connection closes.
                logger.LogError(e, "Kafka {Api} handler failed; closing the connection from {Peer}", pending.Api.Key, _peer);
                socket.Close();
                return;
            }
            FrameEncoder.WriteResponse(writer, pending.Api, pending.Version, pending.CorrelationId, body);
            if (pending.Meters is { } meters)
            {
                meters.Answered(pending.Received);
                ResponseErrors.Count(body, meters);
            }
            // Responses that are ready go out in one write; the socket is flushed when the next one is not ready yet.
            if (!_pending.Reader.TryPeek(out var next) || !next.Response.IsCompleted)
            {
                await writer.FlushAsync(cancellation).ConfigureAwait(false);
            }
        }
        await writer.FlushAsync(cancellation).ConfigureAwait(false);
    }
}
