namespace AkkaStream.Records.Batches;

/// <summary>The type of a control record, the second field of its key.</summary>
public enum ControlRecordType : short
{
    /// <summary>A transaction's records were aborted.</summary>
    Abort = 0,

    /// <summary>A transaction's records were committed.</summary>
    Commit = 1,

    LeaderChange = 2,
    SnapshotHeader = 3,
    SnapshotFooter = 4,
}
