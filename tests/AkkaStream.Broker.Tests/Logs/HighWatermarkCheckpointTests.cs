using AkkaStream.Broker.Logs;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Ids;
using AkkaStream.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Broker.Tests.Logs;

/// <summary>The log manager checkpoints each owner's high watermark and starts the next owner from it.</summary>
public sealed class HighWatermarkCheckpointTests : IDisposable
{
    private static readonly Dictionary<string, string> NoConfigs = [];
    private readonly TempDir _dir = new();
    private readonly TopicPartition _tp = new("hw", 0);
    private readonly Guid _id = Guid.NewGuid();

    public void Dispose() => _dir.Dispose();

    private LogManager Open(TimeSpan? interval = null) =>
        LogManager.Open(_dir.Path, LogConfig.Default, null, TimeSpan.FromHours(1), 1, NullLogger.Instance, interval ?? TimeSpan.FromHours(1));

    [Fact]
    public void The_file_round_trips_and_a_missing_or_damaged_one_reads_as_none()
    {
        var directory = _dir.Sub("partition");
        Directory.CreateDirectory(directory);
        Assert.Null(HighWatermarkCheckpoint.Read(directory));
        HighWatermarkCheckpoint.Write(directory, 0);
        Assert.Equal(0, HighWatermarkCheckpoint.Read(directory));
        HighWatermarkCheckpoint.Write(directory, 1L << 40);
        Assert.Equal(1L << 40, HighWatermarkCheckpoint.Read(directory)); // replaced, not appended
        File.WriteAllText(Path.Combine(directory, HighWatermarkCheckpoint.FileName), "0\n1\nnot-a-number\n");
        Assert.Null(HighWatermarkCheckpoint.Read(directory));
    }

    [Fact]
    public void A_new_owner_starts_from_the_checkpoint_after_a_release_and_after_a_restart()
    {
        using (var logs = Open())
        {
            var first = logs.Acquire(_tp, _id, NoConfigs, 1);
            Assert.Equal(0, first.HighWatermark.Value); // a new log: nothing committed
            first.Log.AppendAsLeader(Batches.Of("a", "b", "c"), new LeaderEpoch(1));
            first.HighWatermark = new Offset(2);
            logs.Release(first);
            Assert.Equal(2, logs.Acquire(_tp, _id, NoConfigs, 2).HighWatermark.Value);
            // Taken over while held: the newer owner starts from the older owner's latest value.
            var held = logs.Acquire(_tp, _id, NoConfigs, 3);
            held.HighWatermark = new Offset(3);
            Assert.Equal(3, logs.Acquire(_tp, _id, NoConfigs, 4).HighWatermark.Value);
        }
        var directory = Path.Combine(_dir.Path, _tp.DirectoryName);
        Assert.Equal(3, HighWatermarkCheckpoint.Read(directory)); // written at close

        // Never above the log end, whatever the file says.
        HighWatermarkCheckpoint.Write(directory, 99);
        using (var logs = Open())
        {
            Assert.Equal(3, logs.Acquire(_tp, _id, NoConfigs, 5).HighWatermark.Value);
        }
    }

    [Fact]
    public async Task Owned_logs_are_checkpointed_periodically()
    {
        using var logs = Open(TimeSpan.FromMilliseconds(50));
        var lease = logs.Acquire(_tp, _id, NoConfigs, 1);
        lease.Log.AppendAsLeader(Batches.Of("a"), new LeaderEpoch(1));
        lease.HighWatermark = new Offset(1);
        await Eventually.True(() => HighWatermarkCheckpoint.Read(Path.Combine(_dir.Path, _tp.DirectoryName)) == 1, TimeSpan.FromSeconds(10));
    }
}
