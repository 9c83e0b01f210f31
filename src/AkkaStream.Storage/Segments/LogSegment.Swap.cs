using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Segments;

// Replacing segments: a segment written under a transient name (the cleaner's ".cleaned" output),
// and renaming a segment's files from one suffix to another (".cleaned" -> ".swap" -> final, and
// final -> ".deleted" for the segments it replaces). See Cleaner/LogCleaner for the protocol.
internal sealed partial class LogSegment
{
    /// <summary>
    /// Renames the segment's files from <paramref name="oldSuffix"/> to <paramref name="newSuffix"/>
    /// (either may be empty: the final names), keeping the open handles. The indexes are renamed
    /// first and the log file last, so that the log file's name is what a crash leaves decisive:
    /// an index with the wrong suffix is only ever discarded and rebuilt from its log.
    /// </summary>
    public void ChangeFileSuffixes(string oldSuffix, string newSuffix)
    {
        OffsetIndex.RenameTo(Resuffix(OffsetIndex.Path, oldSuffix, newSuffix));
        TimeIndex.RenameTo(Resuffix(TimeIndex.Path, oldSuffix, newSuffix));
        var newLogPath = Resuffix(LogPath, oldSuffix, newSuffix);
        File.Move(LogPath, newLogPath, overwrite: true);
        LogPath = newLogPath;
    }

    private static string Resuffix(string path, string oldSuffix, string newSuffix)
    {
        if (!path.EndsWith(oldSuffix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{path} does not end with '{oldSuffix}'");
        }
        return string.Concat(path.AsSpan(0, path.Length - oldSuffix.Length), newSuffix);
    }
}
