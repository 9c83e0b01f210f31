using System.Globalization;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Storage;

namespace AkkaStream.Broker.Topics;

/// <summary>
/// Maps topic settings by their Kafka names (<c>retention.ms</c>, <c>cleanup.policy</c>, …) onto a
/// <see cref="LogConfig"/>, and back for DescribeConfigs. Unknown names and bad values are refused
/// with <see cref="ErrorCode.InvalidConfig"/> naming the setting. Thread-safe (stateless).
/// </summary>
public static class TopicConfigParser
{
    private sealed record Setting(string Name, Func<LogConfig, string, LogConfig> Apply, Func<LogConfig, string> Format);

    // Settings a topic may carry that are not part of its log (replication); kept and described.
    private static readonly Dictionary<string, (string Default, Func<string, bool> IsValid)> ReplicationSettings = new()
    {
        ["min.insync.replicas"] = ("1", v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1),
        ["unclean.leader.election.enable"] = ("false", v => bool.TryParse(v, out _)),
    };

    private static readonly Setting[] Settings =
    [
        new("segment.bytes", (c, v) => c with { SegmentBytes = Int(v, 14, int.MaxValue) }, c => Str(c.SegmentBytes)),
        new("segment.ms", (c, v) => c with { SegmentMs = Long(v, 1) }, c => Str(c.SegmentMs)),
        new("segment.index.bytes", (c, v) => c with { SegmentIndexBytes = Int(v, 8, int.MaxValue) }, c => Str(c.SegmentIndexBytes)),
        new("index.interval.bytes", (c, v) => c with { IndexIntervalBytes = Int(v, 0, int.MaxValue) }, c => Str(c.IndexIntervalBytes)),
        new("flush.messages", (c, v) => c with { FlushMessages = Long(v, 1) }, c => Str(c.FlushMessages)),
        new("flush.ms", (c, v) => c with { FlushMs = Long(v, 0) }, c => Str(c.FlushMs)),
        new("retention.ms", (c, v) => c with { RetentionMs = Long(v, -1) }, c => Str(c.RetentionMs)),
        new("retention.bytes", (c, v) => c with { RetentionBytes = Long(v, -1) }, c => Str(c.RetentionBytes)),
        new("cleanup.policy", (c, v) => c with { CleanupPolicy = Policy(v) }, c => FormatPolicy(c.CleanupPolicy)),
        new("delete.retention.ms", (c, v) => c with { DeleteRetentionMs = Long(v, 0) }, c => Str(c.DeleteRetentionMs)),
        new("min.cleanable.dirty.ratio", (c, v) => c with { MinCleanableDirtyRatio = Ratio(v) }, c => c.MinCleanableDirtyRatio.ToString(CultureInfo.InvariantCulture)),
        new("min.compaction.lag.ms", (c, v) => c with { MinCompactionLagMs = Long(v, 0) }, c => Str(c.MinCompactionLagMs)),
        new("max.compaction.lag.ms", (c, v) => c with { MaxCompactionLagMs = Long(v, 1) }, c => Str(c.MaxCompactionLagMs)),
        new("max.message.bytes", (c, v) => c with { MaxMessageBytes = Int(v, 0, int.MaxValue) }, c => Str(c.MaxMessageBytes)),
        new("message.timestamp.type", (c, v) => c with { MessageTimestampType = TimestampKind(v) }, c => c.MessageTimestampType.ToString()),
    ];

    private static readonly Dictionary<string, Setting> ByName = Settings.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Every topic setting name the broker knows, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Settings.Select(s => s.Name), .. ReplicationSettings.Keys];

    /// <summary>
    /// <paramref name="defaults"/> with <paramref name="configs"/> applied.
    /// </summary>
    /// <exception cref="AkkaStreamException"><c>InvalidConfig</c>, naming the first bad setting.</exception>
    public static LogConfig Parse(IReadOnlyDictionary<string, string> configs, LogConfig defaults)
    {
        var result = defaults;
        foreach (var (name, value) in configs)
        {
            if (ReplicationSettings.TryGetValue(name, out var replication))
            {
                if (!replication.IsValid(value.Trim()))
                {
                    throw Invalid(name, value, "is not a valid value");
                }
                continue;
            }
            if (!ByName.TryGetValue(name, out var setting))
            {
                throw new AkkaStreamException(ErrorCode.InvalidConfig, $"unknown topic setting '{name}'");
            }
            try
            {
                result = setting.Apply(result, value.Trim());
            }
            catch (FormatException e)
            {
                throw Invalid(name, value, e.Message);
            }
        }
        return result;
    }

    /// <summary>Every setting of a topic: its own value where it sets one, the default otherwise.</summary>
    public static IReadOnlyList<(string Name, string Value, bool IsDefault)> Describe(IReadOnlyDictionary<string, string> configs, LogConfig defaults)
    {
        var entries = new List<(string, string, bool)>(Names.Count);
        foreach (var setting in Settings)
        {
            entries.Add(configs.TryGetValue(setting.Name, out var own)
                ? (setting.Name, own, false)
                : (setting.Name, setting.Format(defaults), true));
        }
        foreach (var (name, (value, _)) in ReplicationSettings)
        {
            entries.Add(configs.TryGetValue(name, out var own) ? (name, own, false) : (name, value, true));
        }
        return entries;
    }

    private static AkkaStreamException Invalid(string name, string value, string why) =>
        new(ErrorCode.InvalidConfig, $"invalid value '{value}' for topic setting '{name}': {why}");

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Int(string value, int min, int max) => (int)Long(value, min, max);

    private static long Long(string value, long min, long max = long.MaxValue)
    {
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            throw new FormatException("not an integer");
        }
        if (n < min || n > max)
        {
            throw new FormatException($"must be between {min} and {max}");
        }
        return n;
    }

    private static double Ratio(string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n is < 0 or > 1)
        {
            throw new FormatException("must be a number between 0 and 1");
        }
        return n;
    }

    private static CleanupPolicy Policy(string value)
    {
        CleanupPolicy policy = 0;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            policy |= part switch
            {
                "delete" => CleanupPolicy.Delete,
                "compact" => CleanupPolicy.Compact,
                _ => throw new FormatException("must be delete, compact or both, comma-separated"),
            };
        }
        return policy == 0 ? throw new FormatException("must name delete, compact or both") : policy;
    }

    private static string FormatPolicy(CleanupPolicy policy) => policy switch
    {
        CleanupPolicy.Delete => "delete",
        CleanupPolicy.Compact => "compact",
        _ => "compact,delete",
    };

    private static TimestampType TimestampKind(string value) => value switch
    {
        "CreateTime" => TimestampType.CreateTime,
        "LogAppendTime" => TimestampType.LogAppendTime,
        _ => throw new FormatException("must be CreateTime or LogAppendTime"),
    };
}
