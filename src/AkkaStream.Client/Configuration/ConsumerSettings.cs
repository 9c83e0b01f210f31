using Akka.Configuration;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Configuration;

/// <summary>Where a consumer starts without a position, or after its position fell out of range (Kafka's auto.offset.reset).</summary>
public enum AutoOffsetReset
{
    Earliest,
    Latest,
    None,
}

/// <summary>The consumer's settings (<c>akkastream.client.consumer</c>). Immutable.</summary>
public sealed record ConsumerSettings(
    AutoOffsetReset AutoOffsetReset,
    int FetchMinBytes,
    TimeSpan FetchMaxWait,
    int MaxPartitionFetchBytes,
    int MaxPollRecords,
    bool CheckCrcs,
    GroupSettings Group)
{
    public static ConsumerSettings Create(Config c) => new(
        AutoOffsetReset: ParseReset(c.GetString("auto-offset-reset")),
        FetchMinBytes: c.GetInt("fetch-min-bytes"),
        FetchMaxWait: c.GetTimeSpan("fetch-max-wait"),
        MaxPartitionFetchBytes: checked((int)(c.GetByteSize("max-partition-fetch-bytes") ?? 1048576)),
        MaxPollRecords: Math.Max(1, c.GetInt("max-poll-records")),
        CheckCrcs: c.GetBoolean("check-crcs"),
        Group: GroupSettings.Create(c));

    public static AutoOffsetReset ParseReset(string value) => value.Trim().ToLowerInvariant() switch
    {
        "earliest" => AutoOffsetReset.Earliest,
        "latest" => AutoOffsetReset.Latest,
        "none" => AutoOffsetReset.None,
        _ => throw new AkkaStreamException(ErrorCode.InvalidConfig, $"auto-offset-reset must be earliest, latest or none, not '{value}'"),
    };
}
