using AkkaStream.Storage.Cleaner;
using CsCheck;

namespace AkkaStream.Storage.Tests.Cleaner;

/// <summary>
/// Random keyed writes (tombstones included), rolls, cleans, clock moves and reopens, checked
/// against a model after each clean: every record read back is the one written at its offset, the
/// latest value of every key is still there at its offset, and inside the part a clean compacted
/// each key appears at most once. Few keys and small segments, so that compaction, merging and
/// tombstone expiry all happen often.
/// </summary>
public sealed class LogCleanerPropertyTests
{
    private abstract record Op;
    private sealed record WriteOp(int Key, int? Value) : Op;
    private sealed record RollOp : Op;
    private sealed record CleanOp : Op;
    private sealed record AdvanceOp(long Ms) : Op;
    private sealed record ReopenOp(bool Crash) : Op;

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (12, Gen.Select(Gen.Int[0, 5], Gen.Int[0, 5], (k, v) => (Op)new WriteOp(k, v == 0 ? null : v))),
        (3, Gen.Const((Op)new RollOp())),
        (3, Gen.Const((Op)new CleanOp())),
        (2, Gen.Long[0, 40_000].Select(ms => (Op)new AdvanceOp(ms))),
        (1, Gen.Bool.Select(crash => (Op)new ReopenOp(crash))));

    private static readonly LogConfig Config = CompactedLog.DefaultConfig with
    {
        SegmentBytes = 400,
        DeleteRetentionMs = 30_000,
    };

    [Fact]
    public void Cleaning_keeps_the_latest_value_of_every_key()
    {
        GenOp.Array[1, 60].Sample(ops =>
        {
            using var t = new CompactedLog(Config);
            var cleaner = new LogCleaner();
            var written = new Dictionary<long, (string Key, string? Value)>();
            var latest = new Dictionary<string, (long Offset, string? Value)>();

            foreach (var op in ops)
            {
                switch (op)
                {
                    case WriteOp w:
                        var key = $"k{w.Key}";
                        var value = w.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        var offset = t.Append((key, value)).FirstOffset.Value;
                        written[offset] = (key, value);
                        latest[key] = (offset, value);
                        break;
                    case RollOp:
                        t.Roll();
                        break;
                    case CleanOp:
                        var result = cleaner.Clean(t.Log);
                        Check(t, written, latest, result.CleanedUpTo.Value);
                        break;
                    case AdvanceOp a:
                        t.Time.Advance(a.Ms);
                        break;
                    case ReopenOp { Crash: true }:
                        t.CrashAndReopen();
                        break;
                    case ReopenOp:
                        t.Reopen();
                        break;
                }
            }
            var final = t.ReadAll();
            t.CrashAndReopen();
            Assert.Equal(final, t.ReadAll());
            Check(t, written, latest, cleanedUpTo: 0);
        }, iter: 150);
    }

    private static void Check(CompactedLog t, Dictionary<long, (string Key, string? Value)> written,
        Dictionary<string, (long Offset, string? Value)> latest, long cleanedUpTo)
    {
        var records = t.ReadAll();
        for (var i = 1; i < records.Count; i++)
        {
            Assert.True(records[i].Offset > records[i - 1].Offset, "offsets must increase");
        }
        foreach (var record in records)
        {
            Assert.Equal(written[record.Offset], (record.Key!, record.Value));
        }
        var byOffset = records.ToDictionary(r => r.Offset);
        foreach (var (key, (offset, value)) in latest)
        {
            if (value is not null)
            {
                Assert.True(byOffset.ContainsKey(offset), $"the latest value of {key} at {offset} was lost");
            }
        }
        var compacted = records.Where(r => r.Offset < cleanedUpTo).GroupBy(r => r.Key).Where(g => g.Count() > 1).ToList();
        Assert.True(compacted.Count == 0, $"keys left twice in the compacted part: {string.Join(", ", compacted.Select(g => g.Key))}");
    }
}
