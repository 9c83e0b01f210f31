using System.Diagnostics;
using System.Globalization;
using AkkaStream.Records.Batches;

namespace AkkaStream.Cli.Perf;

/// <summary>
/// Where an end-to-end record's time goes, measured from outside the brokers: send → delivery
/// report (the producer's acknowledgement), and, on a topic with
/// <c>message.timestamp.type=LogAppendTime</c>, send → the leader's append (the timestamp the
/// leader writes into the batch) and the leader's append → receipt (replication to the high
/// watermark, the consumer's fetch and its way back). The append time is the broker's wall clock in
/// whole milliseconds, compared with the send stamp converted to the wall clock once at the start:
/// brokers and client share the machine's clock, and each figure on that side is within about 1 ms.
/// Thread-safe: delivery reports arrive on the producer actor's thread, records on the poll loop's.
/// </summary>
public sealed class HopBreakdown
{
    private readonly object _gate = new();
    private readonly LatencyHistogram _acked = new();
    private readonly LatencyHistogram _appended = new();
    private readonly LatencyHistogram _received = new();
    private readonly long _anchorStamp;
    private readonly double _anchorWallMicros;

    public HopBreakdown()
        : this(Stopwatch.GetTimestamp(), DateTime.UtcNow)
    {
    }

    /// <summary>Converts send stamps to the wall clock by the pair given: <paramref name="anchorStamp"/> is the moment <paramref name="anchorWall"/>.</summary>
    public HopBreakdown(long anchorStamp, DateTime anchorWall)
    {
        _anchorStamp = anchorStamp;
        _anchorWallMicros = (anchorWall - DateTime.UnixEpoch).Ticks / 10.0;
    }

    /// <summary>The delivery report of the record sent at <paramref name="sentStamp"/> came now.</summary>
    public void Acknowledged(long sentStamp)
    {
        var micros = (long)Stopwatch.GetElapsedTime(sentStamp).TotalMicroseconds;
        lock (_gate)
        {
            _acked.Record(micros);
        }
    }

    /// <summary>
    /// The record sent at <paramref name="sentStamp"/> came now with <paramref name="timestamp"/>;
    /// only a LogAppendTime timestamp says when the leader appended it, so others are ignored.
    /// </summary>
    public void Received(long sentStamp, long timestamp, TimestampType type)
    {
        if (type != TimestampType.LogAppendTime)
        {
            return;
        }
        var sentWallMicros = _anchorWallMicros + Stopwatch.GetElapsedTime(_anchorStamp, sentStamp).TotalMicroseconds;
        var nowWallMicros = _anchorWallMicros + Stopwatch.GetElapsedTime(_anchorStamp).TotalMicroseconds;
        var appendedMicros = timestamp * 1000.0;
        lock (_gate)
        {
            _appended.Record((long)(appendedMicros - sentWallMicros));
            _received.Record((long)(nowWallMicros - appendedMicros));
        }
    }

    /// <summary>The breakdown's line; the append figures only when some record carried a LogAppendTime.</summary>
    public string Summary()
    {
        lock (_gate)
        {
            var line = $"breakdown: send -> delivery report {Figures(_acked)}";
            return _appended.Count == 0
                ? line + "."
                : line + $"; send -> leader append {Figures(_appended)}; leader append -> receipt {Figures(_received)}.";
        }
    }

    private static string Figures(LatencyHistogram histogram) => string.Create(CultureInfo.InvariantCulture,
        $"{histogram.Percentile(50) / 1000.0:F2} / {histogram.Percentile(99) / 1000.0:F2} / {histogram.Percentile(99.9) / 1000.0:F2} / {histogram.Max / 1000.0:F2} ms (p50 / p99 / p99.9 / max)");
}
