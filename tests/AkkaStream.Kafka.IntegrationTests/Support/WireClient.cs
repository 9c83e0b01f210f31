using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using AkkaStream.Kafka.Protocol.Codec;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Protocol.Wire;

namespace AkkaStream.Kafka.IntegrationTests.Support;

/// <summary>A Kafka client on a raw socket: sends request frames (or any bytes) and reads response frames, for listener tests.</summary>
public sealed class WireClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private WireClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<WireClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        return new WireClient(tcp);
    }

    /// <summary>The bytes of one request frame.</summary>
    public static byte[] Frame(ApiDeclaration api, short version, int correlationId, MessageStruct body)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteRequest(output, api, new RequestHeader(api.Key, version, correlationId, "wire-test"), body);
        return output.WrittenSpan.ToArray();
    }

    public Task SendAsync(ApiDeclaration api, short version, int correlationId, MessageStruct body) =>
        SendRawAsync(Frame(api, version, correlationId, body));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one response frame of <paramref name="api"/> at <paramref name="version"/>.</summary>
    public async Task<(int CorrelationId, MessageStruct Body)> ReceiveAsync(ApiDeclaration api, short version, short? headerVersion = null)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var prefix = new byte[4];
        await _stream.ReadExactlyAsync(prefix, timeout.Token);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        await _stream.ReadExactlyAsync(frame, timeout.Token);
        return Decode(frame, api, version, headerVersion ?? ResponseHeader.VersionFor(api.Key, api.IsFlexible(version)));
    }

    private static (int, MessageStruct) Decode(byte[] frame, ApiDeclaration api, short version, short headerVersion)
    {
        var reader = new WireReader(frame);
        Assert.True(ResponseHeader.TryRead(ref reader, headerVersion, out var correlationId), "response header");
        var body = frame.AsSpan(reader.Position);
        Assert.True(MessageDecoder.TryDecode(body, api.Response, version, api.IsFlexible(version), out var message, out var consumed, out var error), error);
        Assert.Equal(body.Length, consumed);
        return (correlationId, message);
    }

    /// <summary>Closes the sending side, as a peer that stops mid-frame does.</summary>
    public void ShutdownSend() => _tcp.Client.Shutdown(SocketShutdown.Send);

    /// <summary>True when the broker closes the connection within <paramref name="within"/> (a read sees the end, or a reset).</summary>
    public async Task<bool> ClosedByPeerAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (await _stream.ReadAsync(buffer, timeout.Token) == 0) return true;
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
