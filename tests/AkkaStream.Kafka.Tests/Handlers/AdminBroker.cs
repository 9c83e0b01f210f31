using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;
using AkkaStream.Kafka.Handlers;
using AkkaStream.Kafka.Protocol.Codec;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Tests.Handlers;

/// <summary>
/// One real in-process broker (Akka.Remote on a free port, SQLite journal in a temp directory) and
/// a request context over it, for calling the administration handlers directly. Requests and
/// responses go through the codec at the version under test, so a test sees exactly what a client
/// of that version would read.
/// </summary>
public sealed class AdminBroker : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "akkastream-kafka-admin-" + Guid.NewGuid().ToString("N")[..12]);

    public BrokerNode Node { get; private set; } = null!;

    public KafkaRequestContext Context { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        Node = await BrokerNode.StartAsync(BrokerConfig.FromText("",
        [
            "akkastream.broker-id = 1",
            $"akkastream.data-dir = \"{Path.Combine(_dir, "node")}\"",
            "akkastream.listener.port = 0",
            $"akkastream.journal.sqlite-path = \"{Path.Combine(_dir, "cluster.db")}\"",
            "akkastream.default-replication-factor = 1",
            "akkastream.num-partitions = 2",
            "akkastream.metadata-refresh-interval = 300ms",
            "akkastream.admin-timeout = 10s",
            "akka.loglevel = WARNING",
            "akka.cluster.min-nr-of-members = 1",
        ]));
        Context = new KafkaRequestContext(1, Node.Gateway, Node.Metadata,
            new KafkaListenerSettings("127.0.0.1", 19092, "localhost", 29092, 1 << 20), TimeSpan.FromSeconds(20));
        // The controller answers once the node has joined its cluster.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Node.Metadata.Current.Brokers.Count == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the broker did not publish metadata within 60 s");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await Node.StopAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the stopping node; the temp folder is cleaned eventually.
        }
    }

    /// <summary>
    /// Encodes <paramref name="body"/> at <paramref name="version"/>, decodes it as the listener
    /// would, runs the handler, and returns its response as decoded from the bytes it encodes to.
    /// </summary>
    public async Task<MessageStruct> CallAsync(IKafkaApiHandler handler, ApiDeclaration api, short version, MessageStruct body)
    {
        var flexible = api.IsFlexible(version);
        Assert.True(MessageDecoder.TryDecode(MessageEncoder.Encode(body, version, flexible), api.Request, version, flexible, out var decoded, out _, out var error), error);
        var request = new DecodedRequest(new RequestHeader(api.Key, version, 1, "admin-test"), api, decoded);
        var response = await handler.HandleAsync(Context, request, CancellationToken.None);
        Assert.True(MessageDecoder.TryDecode(MessageEncoder.Encode(response, version, flexible), api.Response, version, flexible, out var answer, out _, out error), error);
        return answer;
    }
}
