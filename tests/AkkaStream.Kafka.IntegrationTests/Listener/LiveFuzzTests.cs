using System.Buffers.Binary;
using System.Net.Sockets;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Kafka.Tests.Support;
using Confluent.Kafka;
using Xunit.Abstractions;

namespace AkkaStream.Kafka.IntegrationTests.Listener;

/// <summary>
/// Random and mutated frames against the live listener: requests of every supported API and
/// version with random field values (valid ones, which the handlers must answer or refuse with an
/// error code), then the same with bytes flipped, cut, or the size prefix changed, and plain
/// noise. Afterwards a Confluent client must still produce and consume, and the broker must run.
/// </summary>
[Collection(KafkaBrokerCollection.Name)]
public sealed class LiveFuzzTests(KafkaBrokerFixture broker, ITestOutputHelper output)
{
    private const int Connections = 300;
    private const int FramesPerConnection = 10;
    private static readonly TimeSpan ConnectionBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Thousands_of_random_and_mutated_frames_leave_the_broker_serving()
    {
        var valid = ValidFrames(seed: 5);
        var random = new Random(11);
        var plans = Enumerable.Range(0, Connections)
            .Select(_ => Enumerable.Range(0, FramesPerConnection).Select(_ => Mutate(valid[random.Next(valid.Count)], random)).ToList())
            .ToList();
        var closed = 0;
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(plans.Select(async frames =>
        {
            await gate.WaitAsync();
            try
            {
                if (await SendAndDrainAsync(frames)) Interlocked.Increment(ref closed);
            }
            finally
            {
                gate.Release();
            }
        }));
        output.WriteLine($"{Connections * FramesPerConnection} frames on {Connections} connections; {closed} connections ended within the bound");
        Assert.Equal(Connections, closed);
        Assert.False(broker.Broker.Node.WhenTerminated.IsCompleted);

        var topic = await broker.CreateTopicAsync("after-fuzz");
        using (var producer = KafkaClients.Producer(broker, c => c.Acks = Acks.All))
        {
            for (var i = 0; i < 20; i++) producer.Produce(topic, new Message<string, string> { Key = "k", Value = $"v{i}" });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"v{i}"), KafkaClients.ReadFromStart(broker, topic, 20).Select(r => r.Message.Value));
    }

    /// <summary>A request frame for every supported API and version, several with different random values.</summary>
    private static List<byte[]> ValidFrames(int seed)
    {
        var frames = new List<byte[]>();
        foreach (var api in SupportedApis.Default.All)
        {
            for (var version = api.Range.Lowest; version <= api.Range.Highest; version++)
            {
                for (var n = 0; n < 3; n++)
                {
                    var body = SampleMessages.Build(api.Api.Request, version, api.Api.IsFlexible(version), seed++);
                    frames.Add(WireClient.Frame(api.Api, version, seed, body));
                }
            }
        }
        return frames;
    }

    private static byte[] Mutate(byte[] frame, Random random)
    {
        var copy = (byte[])frame.Clone();
        switch (random.Next(6))
        {
            case 0:
                return copy; // as built: a valid request with random values
            case 1:
                for (var i = random.Next(1, 6); i > 0; i--) copy[random.Next(4, copy.Length)] = (byte)random.Next(256);
                return copy;
            case 2:
                return copy[..random.Next(1, copy.Length)]; // cut: the next frame's bytes continue it
            case 3:
                BinaryPrimitives.WriteInt32BigEndian(copy, random.Next(2) == 0 ? random.Next() : random.Next(0, copy.Length + 16));
                return copy;
            case 4:
                var noise = new byte[random.Next(1, 64)];
                random.NextBytes(noise);
                return noise;
            default:
                copy[4 + random.Next(Math.Min(8, copy.Length - 4))] ^= (byte)(1 << random.Next(8)); // a header bit
                return copy;
        }
    }

    /// <summary>Sends the frames, closes the sending side, and reads until the broker closes; false if it does not within the bound.</summary>
    private async Task<bool> SendAndDrainAsync(List<byte[]> frames)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", broker.Port);
        var stream = tcp.GetStream();
        try
        {
            foreach (var frame in frames) await stream.WriteAsync(frame);
            tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (IOException)
        {
            return true; // the broker closed it already
        }
        using var timeout = new CancellationTokenSource(ConnectionBound);
        var buffer = new byte[8192];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
            return true;
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
}
