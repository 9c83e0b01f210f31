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
    int MaxInFlightPerPartition)
{
    public static ProducerSettings Create(Config c) => new(
        Acks: ParseAcks(c.GetString("acks")),
        Linger: c.GetTimeSpan("linger"),
        BatchSize: checked((int)(c.GetByteSize("batch-size") ?? 65536)),
        MaxRequestSize: checked((int)(c.GetByteSize("max-request-size") ?? 1048576)),
        Compression: ParseCompression(c.GetString("compression")),
        Retries: c.GetInt("retries"),
        DeliveryTimeout: c.GetTimeSpan("delivery-timeout"),
        MaxInFlightPerPartition: Math.Max(1, c.GetInt("max-in-flight-per-partition")));

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
