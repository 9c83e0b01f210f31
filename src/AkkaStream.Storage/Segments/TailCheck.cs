namespace AkkaStream.Storage.Segments;

/// <summary>
/// What walking a segment's batches found: whether they run cleanly to the end of the file, and
/// if not, where the last whole batch ends and why the walk stopped.
/// </summary>
internal readonly record struct TailCheck(bool IsValid, long ValidBytes, string? Problem)
{
    public static TailCheck Valid(long size) => new(true, size, null);
}
