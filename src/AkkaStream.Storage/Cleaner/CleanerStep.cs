namespace AkkaStream.Storage.Cleaner;

/// <summary>
/// The points of a segment swap after which a crash leaves a distinct state on disk. Tests hook
/// them (<see cref="LogCleaner.OnStep"/>) to stop a clean there and reopen the log.
/// </summary>
internal enum CleanerStep
{
    /// <summary>The group's replacement is written and flushed as <c>.cleaned</c> files.</summary>
    CleanedFilesWritten,

    /// <summary>The replacement was renamed to <c>.swap</c>: the swap is decided.</summary>
    SwapFilesWritten,

    /// <summary>Under the log's lock, one replaced segment was renamed to <c>.deleted</c> (once per segment).</summary>
    OldSegmentRenamed,

    /// <summary>The replacement got its final names; the replaced segments' <c>.deleted</c> files remain.</summary>
    ReplacementRenamed,
}
