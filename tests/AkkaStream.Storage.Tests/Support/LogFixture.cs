using AkkaStream.Records.Ids;
using AkkaStream.Storage.Log;

namespace AkkaStream.Storage.Tests.Support;

/// <summary>A partition log in a temp directory, with a manual clock and a recording logger.</summary>
public sealed class LogFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public LogFixture(LogConfig? config = null)
    {
        Config = config ?? LogConfig.Default;
        Log = Open();
    }

    public LogConfig Config { get; set; }

    public ManualTimeProvider Time { get; } = new();

    public RecordingLogger Logger { get; } = new();

    public PartitionLog Log { get; private set; }

    public string Directory => _directory.Path;

    /// <summary>Closes the log cleanly and opens it again.</summary>
    public PartitionLog Reopen()
    {
        Log.Close();
        return Log = Open();
    }

    /// <summary>Drops the log as a crash would (no flush, no clean-shutdown marker) and opens it again.</summary>
    public PartitionLog CrashAndReopen(Action? damage = null)
    {
        Log.Abandon();
        damage?.Invoke();
        return Log = Open();
    }

    public LogAppendInfo Append(byte[] batch, int epoch = 0) => Log.AppendAsLeader(batch, new LeaderEpoch(epoch));

    /// <summary>Every record value from <paramref name="from"/> to the log end, read in reads of <paramref name="maxBytes"/>.</summary>
    public List<(long Offset, string Value)> ReadAll(long from = -1, int maxBytes = 1 << 20)
    {
        var result = new List<(long, string)>();
        var offset = from < 0 ? Log.LogStartOffset : new Offset(from);
        while (offset < Log.LogEndOffset)
        {
            using var read = Log.Read(offset, maxBytes);
            if (read.IsEmpty)
            {
                break;
            }
            foreach (var record in TestBatches.ReadValues(read.Records.Span))
            {
                if (record.Offset >= offset.Value) result.Add(record);
            }
            offset = read.NextOffset;
        }
        return result;
    }

    public void Dispose()
    {
        Log.Close();
        _directory.Dispose();
    }

    private PartitionLog Open() => PartitionLog.Open(Directory, Config, Logger, Time);
}
