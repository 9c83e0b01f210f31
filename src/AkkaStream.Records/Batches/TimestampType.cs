namespace AkkaStream.Records.Batches;

/// <summary>Whose clock a batch's timestamps come from.</summary>
public enum TimestampType
{
    /// <summary>The producer's time, when it created each record.</summary>
    CreateTime = 0,

    /// <summary>The broker's time, when the leader appended the batch.</summary>
    LogAppendTime = 1,
}
