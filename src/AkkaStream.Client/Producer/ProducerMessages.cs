using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Producer;

/// <summary>
/// One record for <see cref="ProducerActor"/>. The partition is chosen as Kafka's default
/// partitioner does unless <see cref="Partition"/> is set; the timestamp is the producer's clock
/// unless <see cref="Timestamp"/> is set (milliseconds since the Unix epoch). The
/// <see cref="DeliveryReport"/> goes to <see cref="OnDelivery"/> when set, otherwise to the sender.
/// Local only: it may carry a delegate, so it never crosses Akka.Remote.
/// </summary>
public sealed record ProduceRecord(
    string Topic,
    byte[]? Key,
    byte[]? Value,
    IReadOnlyList<RecordHeaderData>? Headers = null,
    long? Timestamp = null,
    int? Partition = null)
{
    /// <summary>Handed back in the <see cref="DeliveryReport"/>, to match reports to records.</summary>
    public object? Correlation { get; init; }

    /// <summary>Called on the producer actor's thread with the outcome: keep it short and never block.</summary>
    public Action<DeliveryReport>? OnDelivery { get; init; }
}

/// <summary>The outcome of one record: where it was written, or why it was not.</summary>
/// <param name="Offset">The record's offset; -1 on error, and with acks=0 (nobody answers).</param>
/// <param name="Timestamp">The record's timestamp: the broker's when the topic uses LogAppendTime.</param>
public sealed record DeliveryReport(
    string Topic,
    int Partition,
    long Offset,
    long Timestamp,
    ErrorCode Error,
    string? ErrorMessage,
    object? Correlation)
{
    public bool IsSuccess => Error == ErrorCode.None;
}

/// <summary>Sends every buffered batch now and replies <see cref="Flushed"/> once every record produced before it has its report.</summary>
public sealed record Flush
{
    public static readonly Flush Instance = new();
}

public sealed record Flushed
{
    public static readonly Flushed Instance = new();
}
