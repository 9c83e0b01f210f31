namespace AkkaStream.Protocol.Messages;

/// <summary>When the leader answers a produce request (Kafka's <c>acks</c>).</summary>
public enum Acks : short
{
    /// <summary>Never: the producer does not wait for an answer.</summary>
    None = 0,

    /// <summary>Once the leader has appended the batch to its log.</summary>
    Leader = 1,

    /// <summary>Once every in-sync replica has the batch (the high watermark passed it).</summary>
    All = -1,
}
