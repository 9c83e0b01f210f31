using System.Collections.Concurrent;
using Confluent.Kafka;

namespace AkkaStream.Kafka.IntegrationTests.Support;

/// <summary>
/// A Confluent.Kafka consumer in a consumer group, polling on a thread of its own until stopped:
/// it commits each record it reads (synchronously, so that a record it has read is never read
/// again by the group) and records what it read, which partitions it holds, and the commits that
/// failed (a record whose commit failed may rightly be read again, by this consumer or another).
/// Its state may be read from any thread.
/// </summary>
public sealed class GroupConsumer : IDisposable
{
    private readonly IConsumer<string, string> _consumer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private volatile TopicPartition[] _assignment = [];
    private volatile Exception? _failure;

    private GroupConsumer(string name, IConsumer<string, string> consumer, ConcurrentQueue<(string Consumer, ConsumeResult<string, string> Record)> sink)
    {
        Name = name;
        _consumer = consumer;
        _thread = new Thread(() => Poll(sink)) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public string Name { get; }

    /// <summary>The partitions this consumer holds, as of its last poll.</summary>
    public IReadOnlyList<TopicPartition> Assignment => _assignment;

    /// <summary>Why commits failed, one entry per failed commit.</summary>
    public ConcurrentQueue<string> CommitErrors { get; } = new();

    /// <summary>What ended the poll loop other than <see cref="Stop"/>, if anything.</summary>
    public Exception? Failure => _failure;

    /// <summary>
    /// Starts a consumer of <paramref name="topic"/> in <paramref name="group"/> with short
    /// session and heartbeat times (the test brokers allow them), adding every record it reads to
    /// <paramref name="sink"/>.
    /// </summary>
    public static GroupConsumer Start(string name, string bootstrapServers, string group, string topic,
        ConcurrentQueue<(string Consumer, ConsumeResult<string, string> Record)> sink, PartitionAssignmentStrategy strategy = PartitionAssignmentStrategy.Range)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = group,
            ClientId = name,
            PartitionAssignmentStrategy = strategy,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6_000,
            HeartbeatIntervalMs = 500,
            FetchWaitMaxMs = 100,
            TopicMetadataRefreshIntervalMs = 2_000,
        };
        var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        return new GroupConsumer(name, consumer, sink);
    }

    private void Poll(ConcurrentQueue<(string, ConsumeResult<string, string>)> sink)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                _assignment = [.. _consumer.Assignment];
                if (result is null || result.IsPartitionEOF) continue;
                sink.Enqueue((Name, result));
                try
                {
                    _consumer.Commit(result);
                }
                catch (KafkaException e)
                {
                    CommitErrors.Enqueue($"{result.TopicPartitionOffset}: {e.Error}");
                }
            }
            _consumer.Close();
        }
        catch (Exception e)
        {
            _failure = e;
        }
        finally
        {
            _consumer.Dispose();
        }
    }

    /// <summary>Stops polling and closes the consumer, which leaves the group; waits for both.</summary>
    public void Stop()
    {
        _stop.Cancel();
        Assert.True(_thread.Join(TimeSpan.FromSeconds(60)), $"{Name} closed in time");
    }

    public void Dispose()
    {
        if (_thread.IsAlive) Stop();
        _stop.Dispose();
    }
}
