using Akka.Configuration;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Configuration;

/// <summary>The producer's settings (<c>akkastream.client.producer</c>). Immutable.</summary>
public sealed record ProducerSettings(
    Acks Acks,
    TimeSpan Linger,
    int BatchSize,
    int MaxRequestSize,
    CompressionType Compression,
    int Retries,
    TimeSpan DeliveryTimeout,
    int MaxInFlightPerPartition,
    bool EnableIdempotence = false)
{
    /// <summary>
    /// Kafka's <c>ProducerStateEntry.NUM_BATCHES_TO_RETAIN</c>: a leader remembers a producer's last
    /// five batches per partition, so an idempotent producer may have no more in flight.
    /// </summary>
    public const int MaxInFlightWithIdempotence = 5;

    /// <summary>Whether batches carry a producer id and sequences: asked for, and acks is not 0 (with no answer, nothing is retried).</summary>
    public bool IsIdempotent => EnableIdempotence && Acks != Acks.None;

    public static ProducerSettings Create(Config c) => Validate(new(
        Acks: ParseAcks(c.GetString("acks")),
        Linger: c.GetTimeSpan("linger"),
        BatchSize: checked((int)(c.GetByteSize("batch-size") ?? 65536)),
        MaxRequestSize: checked((int)(c.GetByteSize("max-request-size") ?? 1048576)),
        Compression: ParseCompression(c.GetString("compression")),
        Retries: c.GetInt("retries"),
        DeliveryTimeout: c.GetTimeSpan("delivery-timeout"),
        MaxInFlightPerPartition: Math.Max(1, c.GetInt("max-in-flight-per-partition")),
        EnableIdempotence: c.GetBoolean("enable-idempotence", true)));

    private static ProducerSettings Validate(ProducerSettings settings) =>
        settings.IsIdempotent && settings.MaxInFlightPerPartition > MaxInFlightWithIdempotence
            ? throw new AkkaStreamException(ErrorCode.InvalidConfig,
                $"max-in-flight-per-partition is {settings.MaxInFlightPerPartition}; an idempotent producer may have at most {MaxInFlightWithIdempotence} (or set enable-idempotence = off)")
            : settings;

    public static Acks ParseAcks(string value) => value.Trim().ToLowerInvariant() switch
    {
        "0" => Acks.None,
        "1" => Acks.Leader,
        "all" or "-1" => Acks.All,
        _ => throw new AkkaStreamException(ErrorCode.InvalidConfig, $"acks must be 0, 1 or all, not '{value}'"),
    };

    public static CompressionType ParseCompression(string value) =>
        Enum.TryParse<CompressionType>(value.Trim(), ignoreCase: true, out var type) && Enum.IsDefined(type)
            ? type
            : throw new AkkaStreamException(ErrorCode.InvalidConfig, $"compression must be none, gzip, snappy, lz4 or zstd, not '{value}'");
}
