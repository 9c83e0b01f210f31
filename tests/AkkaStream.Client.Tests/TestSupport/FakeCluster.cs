using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using AkkaStream.Client.Configuration;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Tests.TestSupport;

/// <summary>
/// Two brokers whose gateways are TestProbes. Each answers MetadataRequest by itself with
/// <see cref="Metadata"/> (unless <see cref="AnswerByItself"/> answers first), and InitProducerIdRequest with the next producer id (from 1000, epoch 0),
/// and hides both from ExpectMsg, so tests see only the requests they check.
/// </summary>
public abstract class FakeCluster : TestKit
{
    private int _metadataRequests;
    private long _producerIds = 999;

    protected FakeCluster(string extraConfig = "")
        : base(ConfigurationFactory.ParseString("akka.loglevel = INFO"))
    {
        Broker1 = CreateTestProbe("broker1");
        Broker2 = CreateTestProbe("broker2");
        foreach (var probe in new[] { Broker1, Broker2 })
        {
            probe.IgnoreMessages(m => m is MetadataRequest or InitProducerIdRequest);
            probe.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
            {
                if (AnswerByItself?.Invoke(message) is { } answer)
                {
                    sender.Tell(answer);
                }
                else if (message is MetadataRequest)
                {
                    Interlocked.Increment(ref _metadataRequests);
                    sender.Tell(Metadata);
                }
                else if (message is InitProducerIdRequest)
                {
                    sender.Tell(new InitProducerIdResponse(ErrorCode.None, null, Interlocked.Increment(ref _producerIds), 0));
                }
                return AutoPilot.KeepRunning;
            }));
        }
        var config = ConfigurationFactory.ParseString(extraConfig)
            .WithFallback(ConfigurationFactory.ParseString($$"""
                akkastream.client {
                  bootstrap-servers = ["{{Broker1.Ref.Path}}"]
                  request-timeout = 3s
                  retry-backoff = 20ms
                  retry-backoff-max = 100ms
                }
                """));
        Settings = ClientSettings.Create(config);
        Metadata = MetadataFor(("orders", 6, 1));
        Client = AkkaStreamClient.Create(Sys, Settings);
    }

    protected TestProbe Broker1 { get; }

    protected TestProbe Broker2 { get; }

    protected ClientSettings Settings { get; }

    protected AkkaStreamClient Client { get; }

    /// <summary>What both gateways answer to a MetadataRequest; tests change it to move leaders.</summary>
    protected volatile MetadataResponse Metadata;

    /// <summary>
    /// Answers both gateways give by themselves before the ones above, when it returns an answer
    /// (for example heartbeats); the message still reaches the probe, so tests ignore what they set this for.
    /// </summary>
    protected volatile Func<object, object?>? AnswerByItself;

    protected int MetadataRequests => Volatile.Read(ref _metadataRequests);

    /// <summary>The last producer id the fake cluster handed out; 999 before the first.</summary>
    protected long LastProducerId => Interlocked.Read(ref _producerIds);

    private static long _version;

    /// <summary>Metadata with brokers 1 and 2 and topics whose every partition is led by the given broker.</summary>
    protected MetadataResponse MetadataFor(params (string Topic, int Partitions, int Leader)[] topics) => new(
        "test-cluster",
        1,
        Interlocked.Increment(ref _version),
        [
            new BrokerMetadata(1, Broker1.Ref.Path.ToString(), "", 0),
            new BrokerMetadata(2, Broker2.Ref.Path.ToString(), "", 0),
        ],
        topics.Select(t => new TopicMetadata(t.Topic, Guid.Empty, ErrorCode.None,
            Enumerable.Range(0, t.Partitions)
                .Select(p => new PartitionMetadata(p, ErrorCode.None, t.Leader, 5, [1, 2], [1, 2]))
                .ToArray())).ToArray());

    /// <summary>A batch at <paramref name="baseOffset"/> whose values are "v{offset}".</summary>
    protected static byte[] Batch(long baseOffset, int count, CompressionType compression = CompressionType.None)
    {
        using var builder = new RecordBatchBuilder(compression) { BaseOffset = baseOffset };
        for (var i = 0; i < count; i++)
        {
            builder.Append(1_000 + i, Encoding.UTF8.GetBytes($"k{baseOffset + i}"), Encoding.UTF8.GetBytes($"v{baseOffset + i}"),
                new RecordHeaderData("h", "x"u8.ToArray()));
        }
        return builder.Build();
    }

    protected static ProduceResponse Ok(ProduceRequest request, long baseOffset) =>
        new(request.Topic, request.Partition, ErrorCode.None, null, baseOffset, -1, 0);

    /// <summary>The values of the records in a produce request's batches, as text.</summary>
    protected static List<string> Values(ProduceRequest request)
    {
        var values = new List<string>();
        var walk = new RecordBatchEnumerator(request.Records);
        while (walk.MoveNext())
        {
            using var reader = new RecordBatchReader(walk.CurrentBytes);
            while (reader.TryReadNext(out var record))
            {
                values.Add(System.Text.Encoding.UTF8.GetString(record.Value));
            }
        }
        return values;
    }

    protected override void AfterAll()
    {
        Client.DisposeAsync().AsTask().Wait();
        base.AfterAll();
    }
}
