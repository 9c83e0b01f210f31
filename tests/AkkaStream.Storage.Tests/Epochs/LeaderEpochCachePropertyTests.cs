using AkkaStream.Records.Ids;
using AkkaStream.Storage.Epochs;
using AkkaStream.Storage.Tests.Support;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Storage.Tests.Epochs;

/// <summary>
/// Random sequences of operations, reloads from disk included, checked step by step against a
/// model: a plain list with each rule written as a filter, the simplest statement of Kafka's
/// semantics. Epochs and offsets are drawn from small ranges so that conflicts, boundaries and
/// no-ops are frequent.
/// </summary>
public sealed class LeaderEpochCachePropertyTests
{
    private const int MaxEpoch = 8;
    private const long MaxOffset = 40;

    private abstract record Op;
    private sealed record AssignOp(int Epoch, long StartOffset) : Op;
    private sealed record TruncateFromEndOp(long EndOffset) : Op;
    private sealed record TruncateFromStartOp(long StartOffset) : Op;
    private sealed record ClearOp : Op;
    private sealed record ReloadOp : Op;

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (8, Gen.Select(Gen.Int[0, MaxEpoch], Gen.Long[0, MaxOffset], (e, o) => (Op)new AssignOp(e, o))),
        (2, Gen.Long[-1, MaxOffset + 2].Select(o => (Op)new TruncateFromEndOp(o))),
        (2, Gen.Long[-1, MaxOffset + 2].Select(o => (Op)new TruncateFromStartOp(o))),
        (1, Gen.Const((Op)new ClearOp())),
        (2, Gen.Const((Op)new ReloadOp())));

    [Fact]
    public void The_cache_behaves_like_the_list_model_across_reloads()
    {
        GenOp.Array[0, 40].Sample(ops =>
        {
            using var dir = new TempDirectory();
            var cache = LeaderEpochCache.Load(dir.Path, NullLogger.Instance);
            List<EpochEntry> model = [];

            foreach (var op in ops)
            {
                var before = model;
                bool? changed = null;
                switch (op)
                {
                    case AssignOp a:
                        model = Model.Assign(model, a.Epoch, a.StartOffset);
                        changed = cache.Assign(new LeaderEpoch(a.Epoch), new Offset(a.StartOffset));
                        break;
                    case TruncateFromEndOp t:
                        model = Model.TruncateFromEnd(model, t.EndOffset);
                        changed = cache.TruncateFromEnd(new Offset(t.EndOffset));
                        break;
                    case TruncateFromStartOp t:
                        model = Model.TruncateFromStart(model, t.StartOffset);
                        changed = cache.TruncateFromStart(new Offset(t.StartOffset));
                        break;
                    case ClearOp:
                        model = [];
                        cache.Clear();
                        break;
                    case ReloadOp:
                        cache = LeaderEpochCache.Load(dir.Path, NullLogger.Instance);
                        break;
                }

                if (changed is { } c && c != !before.SequenceEqual(model))
                    throw new Exception($"{op}: reported changed={c}, model changed={!before.SequenceEqual(model)}");
                Check(op, cache, model);
            }

            // Whatever happened, the file holds the final state.
            Check(new ReloadOp(), LeaderEpochCache.Load(dir.Path, NullLogger.Instance), model);
        }, iter: 300);
    }

    private static void Check(Op after, LeaderEpochCache cache, List<EpochEntry> model)
    {
        var entries = cache.Entries;
        if (!entries.SequenceEqual(model))
            throw new Exception($"after {after}: cache [{string.Join(", ", entries)}], model [{string.Join(", ", model)}]");

        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Epoch <= entries[i - 1].Epoch || entries[i].StartOffset <= entries[i - 1].StartOffset)
                throw new Exception($"after {after}: entries not strictly increasing: [{string.Join(", ", entries)}]");
        }

        if (cache.LatestEpoch != (model.Count == 0 ? null : model[^1].Epoch))
            throw new Exception($"after {after}: latest epoch {cache.LatestEpoch}");

        var logEndOffset = new Offset(MaxOffset + 5);
        for (var epoch = -1; epoch <= MaxEpoch + 1; epoch++)
        {
            var actual = cache.EndOffsetFor(new LeaderEpoch(epoch), logEndOffset);
            var expected = Model.EndOffsetFor(model, epoch, logEndOffset);
            if (actual != expected)
                throw new Exception($"after {after}: EndOffsetFor({epoch}) = {actual}, model {expected}, entries [{string.Join(", ", model)}]");
        }

        for (var offset = -1L; offset <= MaxOffset + 2; offset++)
        {
            var actual = cache.EpochFor(new Offset(offset));
            var expected = Model.EpochFor(model, offset);
            if (actual != expected)
                throw new Exception($"after {after}: EpochFor({offset}) = {actual}, model {expected}, entries [{string.Join(", ", model)}]");
        }
    }

    /// <summary>Kafka's rules over a list, each stated as a filter rather than as the cache's loops.</summary>
    private static class Model
    {
        public static List<EpochEntry> Assign(List<EpochEntry> m, int epoch, long start)
        {
            if (m.Count > 0 && m[^1].Epoch.Value == epoch && start >= m[^1].StartOffset.Value)
                return m;
            // Keep only what is older in both epoch and offset, then append.
            return [.. m.Where(x => x.Epoch.Value < epoch && x.StartOffset.Value < start), new EpochEntry(new LeaderEpoch(epoch), new Offset(start))];
        }

        public static List<EpochEntry> TruncateFromEnd(List<EpochEntry> m, long end) =>
            end < 0 ? m : [.. m.Where(x => x.StartOffset.Value < end)];

        public static List<EpochEntry> TruncateFromStart(List<EpochEntry> m, long start)
        {
            var covering = m.LastOrDefault(x => x.StartOffset.Value <= start, new EpochEntry(LeaderEpoch.None, Offset.None));
            if (covering.Epoch == LeaderEpoch.None)
                return m;
            return [new EpochEntry(covering.Epoch, new Offset(start)), .. m.Where(x => x.StartOffset.Value > start)];
        }

        public static EpochEndOffset EndOffsetFor(List<EpochEntry> m, int requested, Offset logEndOffset)
        {
            if (requested < 0 || m.Count == 0)
                return EpochEndOffset.Undefined;
            if (m[^1].Epoch.Value == requested)
                return new EpochEndOffset(new LeaderEpoch(requested), logEndOffset);
            var later = m.Where(x => x.Epoch.Value > requested).ToList();
            if (later.Count == 0)
                return EpochEndOffset.Undefined;
            var earlier = m.Where(x => x.Epoch.Value <= requested).ToList();
            var epoch = earlier.Count == 0 ? requested : earlier[^1].Epoch.Value;
            return new EpochEndOffset(new LeaderEpoch(epoch), later[0].StartOffset);
        }

        public static LeaderEpoch? EpochFor(List<EpochEntry> m, long offset)
        {
            var atOrBefore = m.Where(x => x.StartOffset.Value <= offset).ToList();
            return atOrBefore.Count == 0 ? null : atOrBefore[^1].Epoch;
        }
    }
}
