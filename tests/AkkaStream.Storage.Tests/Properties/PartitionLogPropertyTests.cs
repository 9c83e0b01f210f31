using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using AkkaStream.Storage.Producers;
using AkkaStream.Storage.Tests.Support;
using CsCheck;

namespace AkkaStream.Storage.Tests.Properties;

/// <summary>
/// A randomized operation fuzzer for the partition log: random sequences of appends, rolls, reads,
/// truncations, record deletions, retention passes, flushes, clean reopens and crashes are run on a
/// real log and on <see cref="LogModel"/>, and after every step the log must serve exactly what the
/// model holds, and know the last five batches of the idempotent producer that writes some of the
/// appends (retries of those are acknowledged with their first offsets). Segments and index intervals are tiny so that rolls, index entries and segment
/// deletions happen all the time.
/// </summary>
/// <remarks>
/// The run is deterministic: each sequence comes from a fixed seed. When one fails, CsCheck starts
/// from that seed and looks for a shorter failing sequence, and the failure message prints the
/// shrunk operations with the step that failed.
/// </remarks>
public sealed class PartitionLogPropertyTests
{
    private const int Sequences = 160;
    private const int MaxOps = 60;

    private static readonly LogConfig BaseConfig = LogConfig.Default with
    {
        SegmentBytes = 1_500,
        IndexIntervalBytes = 100,
        RecoveryPointCheckpointIntervalMs = 0,
        SegmentMs = long.MaxValue,
        RetentionMs = -1,
        RetentionBytes = -1,
    };

    internal abstract record Op;

    internal sealed record AppendOp(int Count, int ValueBytes, bool NewEpoch, bool Idempotent) : Op;

    /// <summary>Resends the idempotent producer's batch <see cref="Back"/> places from its newest (0 = newest).</summary>
    internal sealed record RetryOp(int Back) : Op;

    internal sealed record RollOp : Op;

    /// <summary>Reads at a point of [log start, log end]: 0 is the log start, 1 the log end.</summary>
    internal sealed record ReadOp(double At, int MaxBytes) : Op;

    internal sealed record TruncateOp(double At) : Op;

    internal sealed record DeleteRecordsOp(double At) : Op;

    /// <summary>Advances the clock, sets retention (-1: no limit) and applies it below an optional high watermark.</summary>
    internal sealed record RetentionOp(long AdvanceMs, long RetentionMs, long RetentionBytes, double? HighWatermarkAt) : Op;

    internal sealed record FlushOp : Op;

    internal sealed record ReopenOp : Op;

    internal sealed record CrashOp(bool FlushFirst) : Op;

    private static readonly Gen<double> GenAt = Gen.Frequency(
        (1, Gen.Const(0.0)),
        (1, Gen.Const(1.0)),
        (6, Gen.Double[0, 1]));

    private static readonly Gen<int> GenValueBytes = Gen.Frequency(
        (3, Gen.Int[0, 20]),
        (2, Gen.Int[20, 150]),
        (1, Gen.Int[150, 500]));

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (12, Gen.Select(Gen.Int[1, 20], GenValueBytes, Gen.Int[0, 9], Gen.Bool, (n, size, e, idempotent) => (Op)new AppendOp(n, size, e == 0, idempotent))),
        (2, Gen.Int[0, 4].Select(back => (Op)new RetryOp(back))),
        (2, Gen.Const((Op)new RollOp())),
        (5, Gen.Select(GenAt, Gen.Int[1, 4_000], (at, max) => (Op)new ReadOp(at, max))),
        (2, GenAt.Select(at => (Op)new TruncateOp(at))),
        (2, GenAt.Select(at => (Op)new DeleteRecordsOp(at))),
        (2, Gen.Select(Gen.Long[0, 3_000], Gen.Long[-1, 5_000], Gen.Long[-1, 6_000], GenAt.Nullable(),
            (advance, ms, bytes, hw) => (Op)new RetentionOp(advance, ms, bytes, hw))),
        (2, Gen.Const((Op)new FlushOp())),
        (1, Gen.Const((Op)new ReopenOp())),
        (2, Gen.Bool.Select(flush => (Op)new CrashOp(flush))));

    private static readonly Gen<Op[]> GenOps = GenOp.Array[1, MaxOps];

    [Fact]
    public void The_log_serves_what_the_model_holds_after_any_sequence_of_operations()
    {
        var failedSeed = -1;
        Exception? firstFailure = null;
        var failureLock = new object();
        Parallel.For(0, Sequences, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (i, state) =>
        {
            try
            {
                GenOps.Sample(Run, seed: SeedFor(i), iter: 1, threads: 1, print: Print);
            }
            catch (Exception e)
            {
                lock (failureLock)
                {
                    if (failedSeed < 0 || i < failedSeed)
                    {
                        (failedSeed, firstFailure) = (i, e);
                    }
                }
                state.Stop();
            }
        });
        if (firstFailure is null)
        {
            return;
        }
        // Start again from the failing seed and let CsCheck search for a shorter failing sequence;
        // it throws with the smallest one found.
        GenOps.Sample(Run, seed: SeedFor(failedSeed), iter: 3_000, print: Print);
        throw firstFailure;
    }

    /// <summary>A fixed seed per sequence, in CsCheck's text form.</summary>
    private static string SeedFor(int sequence) =>
        new PCG((uint)sequence + 1, unchecked((ulong)(sequence + 1) * 0x9E3779B97F4A7C15UL)).ToString();

    private static string Print(Op[] ops) =>
        Environment.NewLine + string.Join(Environment.NewLine, ops.Select((op, i) => $"  {i,2}: {op}"));

    private static void Run(Op[] ops)
    {
        using var run = new ModelRun();
        for (var step = 0; step < ops.Length; step++)
        {
            try
            {
                run.Apply(ops[step]);
                run.CheckState();
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"step {step} ({ops[step]}) failed: {e.Message}", e);
            }
        }
    }

    /// <summary>One sequence: the log under test, its model, and the values and epochs handed out so far.</summary>
    private sealed class ModelRun : IDisposable
    {
        private readonly LogFixture _fixture = new(BaseConfig);
        private const long ProducerId = 1;

        private readonly LogModel _model = new();

        // The idempotent producer's batches that the log has not lost (retention keeps them; truncation does not).
        private readonly List<ProducerBatchMetadata> _producerBatches = [];
        private int _nextValue;
        private int _epoch;

        public void Dispose() => _fixture.Dispose();

        public void Apply(Op op)
        {
            var log = _fixture.Log;
            switch (op)
            {
                case AppendOp a:
                {
                    if (a.NewEpoch) _epoch++;
                    var now = _fixture.Time.NowMs;
                    var sequence = _producerBatches.Count == 0 ? 0 : _producerBatches[^1].LastSequence + 1;
                    var batch = a.Idempotent
                        ? TestBatches.Idempotent(ProducerId, 0, sequence, _nextValue, a.Count, now, a.ValueBytes)
                        : TestBatches.Values(_nextValue, a.Count, timestamp: now, valueBytes: a.ValueBytes);
                    var values = Enumerable.Range(_nextValue, a.Count).Select(v => $"v{v}").ToArray();
                    _nextValue += a.Count;
                    var info = _fixture.Append(batch, _epoch);
                    Expect(info.FirstOffset.Value == _model.LogEndOffset, $"append took offset {info.FirstOffset}, expected {_model.LogEndOffset}");
                    _model.Append(values, batch.Length, now + a.Count - 1, _epoch);
                    if (a.Idempotent)
                    {
                        _producerBatches.Add(new ProducerBatchMetadata(sequence, sequence + a.Count - 1, info.FirstOffset.Value, info.LastOffset.Value, now + a.Count - 1));
                    }
                    break;
                }
                case RetryOp r:
                    Retry(r.Back);
                    break;
                case RollOp:
                    log.Roll();
                    break;
                case ReadOp r:
                    CheckRead(OffsetAt(r.At), r.MaxBytes);
                    break;
                case TruncateOp t:
                {
                    var offset = OffsetAt(t.At);
                    var full = offset < _model.LogEndOffset && (offset < _model.LogStartOffset || offset <= log.SegmentBaseOffsets[0].Value);
                    log.TruncateTo(new Offset(offset));
                    _model.TruncateTo(offset);
                    ForgetProducerBatchesFrom(full ? long.MinValue : _model.LogEndOffset);
                    break;
                }
                case DeleteRecordsOp d:
                {
                    var offset = OffsetAt(d.At);
                    log.DeleteRecordsBefore(new Offset(offset));
                    _model.RaiseLogStart(offset);
                    break;
                }
                case RetentionOp r:
                    ApplyRetention(r);
                    break;
                case FlushOp:
                    log.Flush();
                    Expect(log.RecoveryPoint.Value == _model.LogEndOffset, $"recovery point {log.RecoveryPoint} after a flush, log end {_model.LogEndOffset}");
                    break;
                case ReopenOp:
                {
                    var epochs = log.Epochs.Entries.ToList();
                    _fixture.Reopen();
                    ExpectSameEpochs(epochs, "a clean reopen");
                    break;
                }
                case CrashOp c:
                    Crash(c.FlushFirst);
                    break;
            }
        }

        /// <summary>What every step must leave true: the offsets, the bytes, the segment layout and every record served.</summary>
        public void CheckState()
        {
            var log = _fixture.Log;
            Expect(log.LogEndOffset.Value == _model.LogEndOffset, $"log end {log.LogEndOffset}, model {_model.LogEndOffset}");
            Expect(log.LogStartOffset.Value == _model.LogStartOffset, $"log start {log.LogStartOffset}, model {_model.LogStartOffset}");

            var bases = log.SegmentBaseOffsets.Select(o => o.Value).ToArray();
            _model.ForgetBelow(bases[0]);
            Expect(bases[0] <= _model.LogStartOffset, $"the first segment starts at {bases[0]}, above the log start {_model.LogStartOffset}");
            for (var i = 0; i < bases.Length; i++)
            {
                var isBoundary = bases[i] == _model.LogEndOffset || _model.Batches.Any(b => b.BaseOffset == bases[i]);
                Expect(isBoundary, $"segment {bases[i]} does not start at a batch boundary");
                if (i < bases.Length - 1)
                {
                    Expect(_model.BatchesIn(bases[i], bases[i + 1]).Count > 0, $"segment {bases[i]} is empty but not the active one");
                }
            }
            var bytes = _model.Batches.Sum(b => (long)b.SizeInBytes);
            Expect(log.SizeInBytes == bytes, $"the log holds {log.SizeInBytes} bytes, the model {bytes}");

            CheckEpochs();
            CheckProducer();

            var served = _fixture.ReadAll();
            var expected = _model.Records();
            if (!served.SequenceEqual(expected))
            {
                throw new InvalidOperationException(
                    $"served {Describe(served)} but the model holds {Describe(expected)}");
            }
        }

        /// <summary>
        /// The epoch history agrees with the batches served: every served offset maps to the epoch
        /// its batch was appended with, and no entry starts outside [log start, log end].
        /// </summary>
        private void CheckEpochs()
        {
            var epochs = _fixture.Log.Epochs;
            foreach (var entry in epochs.Entries)
            {
                Expect(entry.StartOffset.Value >= _model.LogStartOffset && entry.StartOffset.Value <= _model.LogEndOffset,
                    $"epoch entry {entry} lies outside [{_model.LogStartOffset}, {_model.LogEndOffset}]: [{string.Join(", ", epochs.Entries)}]");
            }
            foreach (var batch in _model.Batches)
            {
                if (batch.LastOffset < _model.LogStartOffset) continue;
                foreach (var offset in new[] { Math.Max(batch.BaseOffset, _model.LogStartOffset), batch.LastOffset })
                {
                    var epoch = epochs.EpochFor(new Offset(offset));
                    Expect(epoch?.Value == batch.Epoch,
                        $"the epoch history gives {epoch?.ToString() ?? "none"} for offset {offset}, appended with {batch.Epoch}: [{string.Join(", ", epochs.Entries)}]");
                }
            }
        }

        /// <summary>The log knows the producer's last five batches, with the offsets they were written at.</summary>
        private void CheckProducer()
        {
            var entry = _fixture.Log.Producers.Get(ProducerId);
            var expected = _producerBatches.TakeLast(ProducerStateEntry.BatchesRetained).Select(Key).ToList();
            var actual = entry?.Batches.Select(Key).ToList() ?? [];
            Expect(actual.SequenceEqual(expected),
                $"the log knows producer batches [{string.Join(", ", actual)}], the model [{string.Join(", ", expected)}]");

            static (int, int, long, long) Key(ProducerBatchMetadata b) => (b.FirstSequence, b.LastSequence, b.FirstOffset, b.LastOffset);
        }

        /// <summary>A retry of one of the producer's last five batches is acknowledged with its first offsets and writes nothing.</summary>
        private void Retry(int back)
        {
            var retained = _producerBatches.TakeLast(ProducerStateEntry.BatchesRetained).ToList();
            if (back >= retained.Count)
            {
                return;
            }
            var original = retained[^(back + 1)];
            var count = original.LastSequence - original.FirstSequence + 1;
            var info = _fixture.Append(TestBatches.Idempotent(ProducerId, 0, original.FirstSequence, 0, count, _fixture.Time.NowMs));
            Expect(info.IsDuplicate && info.FirstOffset.Value == original.FirstOffset && info.LastOffset.Value == original.LastOffset,
                $"a retry of {original} was answered {info}");
        }

        /// <summary>The producer's batches at or after <paramref name="logEnd"/> are gone with the data.</summary>
        private void ForgetProducerBatchesFrom(long logEnd) => _producerBatches.RemoveAll(b => b.FirstOffset >= logEnd);

        private long OffsetAt(double at) =>
            _model.LogStartOffset + (long)Math.Round(at * (_model.LogEndOffset - _model.LogStartOffset));

        /// <summary>
        /// A read returns the batch holding the offset, then the following batches of the same
        /// segment as long as they fit in maxBytes, each one whole, valid and as appended.
        /// </summary>
        private void CheckRead(long offset, int maxBytes)
        {
            using var read = _fixture.Log.Read(new Offset(offset), maxBytes);
            if (offset == _model.LogEndOffset)
            {
                Expect(read.IsEmpty && read.NextOffset.Value == offset, $"a read at the log end returned {read.Length} bytes, next {read.NextOffset}");
                return;
            }
            var first = _model.IndexOfBatchHolding(offset);
            Expect(first >= 0, $"the model has no batch holding {offset}");
            var bases = _fixture.Log.SegmentBaseOffsets.Select(o => o.Value).ToList();
            var segmentEnd = bases.Where(b => b > _model.Batches[first].BaseOffset).DefaultIfEmpty(long.MaxValue).Min();
            var expected = new List<ModelBatch> { _model.Batches[first] };
            var total = _model.Batches[first].SizeInBytes;
            for (var j = first + 1; j < _model.Batches.Count; j++)
            {
                var next = _model.Batches[j];
                if (next.BaseOffset >= segmentEnd || total + next.SizeInBytes > maxBytes) break;
                expected.Add(next);
                total += next.SizeInBytes;
            }

            var actual = DecodeBatches(read.Records.Span);
            Expect(actual.Count == expected.Count,
                $"a read at {offset} of {maxBytes} bytes returned {actual.Count} batches, expected {expected.Count}");
            for (var i = 0; i < expected.Count; i++)
            {
                var (header, values) = actual[i];
                Expect(header.BaseOffset == expected[i].BaseOffset && values.SequenceEqual(expected[i].Values),
                    $"a read at {offset} returned batch {header.BaseOffset} [{string.Join(",", values)}], expected {expected[i].BaseOffset} [{string.Join(",", expected[i].Values)}]");
                Expect(header.PartitionLeaderEpoch == expected[i].Epoch,
                    $"batch {header.BaseOffset} carries epoch {header.PartitionLeaderEpoch}, appended with {expected[i].Epoch}");
            }
            Expect(read.Length == total, $"a read at {offset} returned {read.Length} bytes, expected {total}");
            Expect(read.NextOffset.Value == expected[^1].NextOffset, $"a read at {offset} says next {read.NextOffset}, expected {expected[^1].NextOffset}");
        }

        private void ApplyRetention(RetentionOp r)
        {
            _fixture.Time.Advance(r.AdvanceMs);
            var config = _fixture.Log.Config with { RetentionMs = r.RetentionMs, RetentionBytes = r.RetentionBytes };
            _fixture.Config = config;
            _fixture.Log.UpdateConfig(config);
            long? highWatermark = r.HighWatermarkAt is { } at ? OffsetAt(at) : null;

            // The rules, stated on the model's view of the segments: from the oldest, delete a segment
            // that lies wholly below the log start, is past retention.ms or keeps the log above
            // retention.bytes; stop at the first one that must stay, at the active one, and at one
            // reaching the high watermark.
            var bases = _fixture.Log.SegmentBaseOffsets.Select(o => o.Value).ToArray();
            var segments = new List<(long Base, long Size, long NextOffset, long MaxTimestamp)>();
            for (var i = 0; i < bases.Length; i++)
            {
                var batches = _model.BatchesIn(bases[i], i + 1 < bases.Length ? bases[i + 1] : long.MaxValue);
                segments.Add((bases[i], batches.Sum(b => (long)b.SizeInBytes),
                    batches.Count > 0 ? batches[^1].NextOffset : bases[i],
                    batches.Count > 0 ? batches.Max(b => b.MaxTimestamp) : -1));
            }
            var now = _fixture.Time.NowMs;
            var upper = highWatermark ?? _model.LogEndOffset;
            var excess = segments.Sum(s => s.Size) - r.RetentionBytes;
            var expected = 0;
            for (; expected < segments.Count - 1; expected++)
            {
                var s = segments[expected];
                var belowStart = s.NextOffset <= _model.LogStartOffset;
                var expired = r.RetentionMs >= 0 && now - s.MaxTimestamp > r.RetentionMs;
                var oversize = r.RetentionBytes >= 0 && excess - s.Size >= 0;
                if (s.NextOffset > upper || !(belowStart || expired || oversize)) break;
                excess -= s.Size;
            }

            var deleted = _fixture.Log.ApplyRetention(highWatermark is { } hw ? new Offset(hw) : null);
            Expect(deleted == expected, $"retention deleted {deleted} segments, expected {expected} (segments {string.Join(", ", segments)}, now {now})");
            if (expected > 0)
            {
                _model.RaiseLogStart(segments[expected].Base);
            }
        }

        /// <summary>
        /// A crash without damage: everything below the recovery point must survive; what was not
        /// flushed may survive or not, but the log that comes back is a prefix of the one before.
        /// </summary>
        private void Crash(bool flushFirst)
        {
            var log = _fixture.Log;
            if (flushFirst) log.Flush();
            var recoveryPoint = log.RecoveryPoint.Value;
            _fixture.CrashAndReopen();
            var logEnd = _fixture.Log.LogEndOffset.Value;
            Expect(logEnd >= recoveryPoint && logEnd <= _model.LogEndOffset,
                $"after a crash the log ends at {logEnd}, outside [recovery point {recoveryPoint}, log end before {_model.LogEndOffset}]");
            Expect(logEnd == _model.LogEndOffset || _model.Batches.Any(b => b.BaseOffset == logEnd),
                $"after a crash the log ends at {logEnd}, inside a batch");
            _model.TruncateTo(logEnd);
            ForgetProducerBatchesFrom(logEnd);
        }

        private void ExpectSameEpochs(List<AkkaStream.Storage.Epochs.EpochEntry> before, string what)
        {
            var after = _fixture.Log.Epochs.Entries;
            Expect(after.SequenceEqual(before), $"epochs after {what}: [{string.Join(", ", after)}], before: [{string.Join(", ", before)}]");
        }

        private static List<(RecordBatchHeader Header, string[] Values)> DecodeBatches(ReadOnlySpan<byte> bytes)
        {
            var batches = new List<(RecordBatchHeader, string[])>();
            var enumerator = new RecordBatchEnumerator(bytes);
            while (enumerator.MoveNext())
            {
                Expect(RecordBatch.Validate(enumerator.CurrentBytes, out var reason) == ErrorCode.None,
                    $"batch {enumerator.Current.BaseOffset} was served corrupt: {reason}");
                var values = TestBatches.ReadValues(enumerator.CurrentBytes).Select(r => r.Value).ToArray();
                batches.Add((enumerator.Current, values));
            }
            Expect(enumerator.Remaining == 0, $"{enumerator.Remaining} bytes after the last whole batch of a read");
            return batches;
        }

        private static string Describe(List<(long Offset, string Value)> records) =>
            records.Count == 0 ? "nothing" : $"{records.Count} records [{records[0]} .. {records[^1]}]"
                + (records.Count <= 40 ? ": " + string.Join(" ", records.Select(r => $"{r.Offset}={r.Value}")) : "");
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition) throw new InvalidOperationException(message);
    }
}
