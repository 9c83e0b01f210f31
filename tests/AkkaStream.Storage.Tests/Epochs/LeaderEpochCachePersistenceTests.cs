using AkkaStream.Records.Ids;
using AkkaStream.Storage.Checkpoints;
using AkkaStream.Storage.Epochs;
using AkkaStream.Storage.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Tests.Epochs;

/// <summary>The epoch history on disk: Kafka's checkpoint text, written on every change, read back on load.</summary>
public sealed class LeaderEpochCachePersistenceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly RecordingLogger _logger = new();

    public void Dispose() => _dir.Dispose();

    private string CheckpointPath => _dir.File(LeaderEpochCache.FileName);

    private string CheckpointText => File.ReadAllText(CheckpointPath);

    private LeaderEpochCache Load() => LeaderEpochCache.Load(_dir.Path, _logger);

    private static EpochEntry E(int epoch, long startOffset) => new(new LeaderEpoch(epoch), new Offset(startOffset));

    [Fact]
    public void The_file_is_kafkas_leader_epoch_checkpoint()
    {
        var cache = Load();

        cache.Assign(new LeaderEpoch(0), new Offset(0));
        cache.Assign(new LeaderEpoch(1), new Offset(5));
        cache.Assign(new LeaderEpoch(3), new Offset(10));

        Assert.Equal("leader-epoch-checkpoint", Path.GetFileName(cache.FilePath));
        Assert.Equal(Path.GetFullPath(CheckpointPath), cache.FilePath);
        Assert.Equal("0\n3\n0 0\n1 5\n3 10\n", CheckpointText);
    }

    [Fact]
    public void Every_operation_is_on_disk_when_it_returns()
    {
        var cache = Load();
        var steps = new (string Name, Action Apply)[]
        {
            ("assign 0@0", () => cache.Assign(new LeaderEpoch(0), new Offset(0))),
            ("assign 1@5", () => cache.Assign(new LeaderEpoch(1), new Offset(5))),
            ("assign 3@10", () => cache.Assign(new LeaderEpoch(3), new Offset(10))),
            ("assign 4@20", () => cache.Assign(new LeaderEpoch(4), new Offset(20))),
            ("conflicting assign 2@15", () => cache.Assign(new LeaderEpoch(2), new Offset(15))),
            ("truncate start to 7", () => cache.TruncateFromStart(new Offset(7))),
            ("truncate end to 12", () => cache.TruncateFromEnd(new Offset(12))),
            ("assign 5@12", () => cache.Assign(new LeaderEpoch(5), new Offset(12))),
            ("clear", () => cache.Clear()),
            ("assign 6@30", () => cache.Assign(new LeaderEpoch(6), new Offset(30))),
        };

        foreach (var (name, apply) in steps)
        {
            apply();
            var reloaded = Load();
            Assert.True(cache.Entries.SequenceEqual(reloaded.Entries), $"after {name}: [{string.Join(", ", cache.Entries)}] reloaded as [{string.Join(", ", reloaded.Entries)}]");
        }

        Assert.Equal([E(6, 30)], Load().Entries);
        Assert.DoesNotContain(_logger.MessagesAtOrAbove(LogLevel.Warning), m => m.Contains("corrupt"));
    }

    [Fact]
    public void A_missing_file_is_an_empty_history_and_nothing_is_written_until_a_change()
    {
        var cache = Load();

        Assert.Empty(cache.Entries);
        Assert.Empty(_logger.Entries);

        cache.TruncateFromEnd(new Offset(10));
        cache.TruncateFromStart(new Offset(10));
        cache.EndOffsetFor(new LeaderEpoch(1), new Offset(10));
        Assert.False(File.Exists(CheckpointPath));
    }

    [Fact]
    public void Unchanged_histories_are_not_rewritten()
    {
        var cache = Load();
        cache.Assign(new LeaderEpoch(1), new Offset(5));
        var written = File.GetLastWriteTimeUtc(CheckpointPath);
        File.WriteAllText(CheckpointPath, "0\n1\n1 5\n"); // same content, and a marker that it was not replaced
        File.SetLastWriteTimeUtc(CheckpointPath, written.AddDays(-1));

        cache.Assign(new LeaderEpoch(1), new Offset(9));
        cache.TruncateFromEnd(new Offset(6));
        cache.TruncateFromStart(new Offset(5));

        Assert.Equal(written.AddDays(-1), File.GetLastWriteTimeUtc(CheckpointPath));
    }

    [Fact]
    public void Clear_writes_an_empty_checkpoint()
    {
        var cache = Load();
        cache.Assign(new LeaderEpoch(2), new Offset(6));

        cache.Clear();

        Assert.Equal("0\n0\n", CheckpointText);
        Assert.Empty(Load().Entries);
    }

    [Fact]
    public void A_checkpoint_written_by_kafka_loads()
    {
        // Kafka's own documentation of the format shows entries separated by two spaces.
        File.WriteAllText(CheckpointPath, "0\n2\n0  1\n1  2\n");

        Assert.Equal([E(0, 1), E(1, 2)], Load().Entries);
        Assert.Empty(_logger.Entries);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("0\n", "cut short")]
    [InlineData("0\n2\n0 0\n", "announces 2 entries but the file has 1")]
    [InlineData("0\n2\n0 0\n1 5", "cut short")]
    [InlineData("0\n1\n0 0\n1 5\n", "announces 1 entries but the file has 2")]
    [InlineData("1\n1\n0 0\n", "version 1, expected 0")]
    [InlineData("0\n1\n0 x\n", "line 3: malformed entry '0 x'")]
    [InlineData("0\n1\n0 0 0\n", "line 3: malformed entry")]
    [InlineData("0\n1\n-1 5\n", "line 3: malformed entry '-1 5'")]
    [InlineData("0\n1\n2 -5\n", "line 3: malformed entry '2 -5'")]
    [InlineData("0\n1\n99999999999 0\n", "line 3: malformed entry")] // epoch beyond int32
    [InlineData("0\n2\n3 10\n2 20\n", "entry 2@20 on line 4 does not follow 3@10")]
    [InlineData("0\n2\n1 10\n2 10\n", "entry 2@10 on line 4 does not follow 1@10")]
    [InlineData("0\n2\n1 10\n1 20\n", "does not follow")]
    public void A_corrupt_file_is_reported_and_loads_as_an_empty_history(string content, string problem)
    {
        File.WriteAllText(CheckpointPath, content);

        var cache = Load();

        Assert.Empty(cache.Entries);
        var warning = Assert.Single(_logger.MessagesAtOrAbove(LogLevel.Warning));
        Assert.Contains(Path.GetFullPath(CheckpointPath), warning);
        Assert.Contains(problem, warning);
    }

    [Fact]
    public void The_next_change_after_a_corrupt_load_writes_a_valid_file()
    {
        File.WriteAllText(CheckpointPath, "0\n5\n0 0\n");
        var cache = Load();

        cache.Assign(new LeaderEpoch(3), new Offset(40));

        Assert.Equal("0\n1\n3 40\n", CheckpointText);
        Assert.Equal([E(3, 40)], Load().Entries);
    }

    [Fact]
    public void A_leftover_temp_file_is_ignored()
    {
        var cache = Load();
        cache.Assign(new LeaderEpoch(1), new Offset(5));
        File.WriteAllText(CheckpointPath + CheckpointFile.TempSuffix, "0\n2\n1 5\n2 ");

        var reloaded = Load();

        Assert.Equal([E(1, 5)], reloaded.Entries);
        Assert.Empty(_logger.MessagesAtOrAbove(LogLevel.Warning));

        reloaded.Assign(new LeaderEpoch(2), new Offset(9));
        Assert.Equal("0\n2\n1 5\n2 9\n", CheckpointText);
        Assert.False(File.Exists(CheckpointPath + CheckpointFile.TempSuffix));
    }

    [Fact]
    public void A_failed_write_leaves_the_history_and_the_file_as_they_were()
    {
        var cache = Load();
        cache.Assign(new LeaderEpoch(1), new Offset(5));
        // A directory where the temporary file must go makes the next write fail.
        Directory.CreateDirectory(CheckpointPath + CheckpointFile.TempSuffix);

        Assert.ThrowsAny<Exception>(() => cache.Assign(new LeaderEpoch(2), new Offset(9)));
        Assert.ThrowsAny<Exception>(() => cache.TruncateFromEnd(new Offset(0)));
        Assert.ThrowsAny<Exception>(() => cache.Clear());

        Assert.Equal([E(1, 5)], cache.Entries);
        Assert.Equal("0\n1\n1 5\n", CheckpointText);
    }

    [Fact]
    public void Loading_from_a_missing_directory_fails()
    {
        Assert.Throws<DirectoryNotFoundException>(() => LeaderEpochCache.Load(_dir.File("no-such-partition"), _logger));
    }
}
