using System.Globalization;

namespace AkkaStream.Storage.Segments;

/// <summary>
/// The names of a segment's files: its base offset in 20 zero-padded digits, then a suffix. Also
/// the transient suffixes used while files are replaced or deleted. Thread-safe (stateless).
/// </summary>
public static class SegmentFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";

    /// <summary>A file being written by the cleaner, not yet part of the log.</summary>
    public const string CleanedSuffix = ".cleaned";

    /// <summary>A finished replacement waiting to be renamed over the files it replaces.</summary>
    public const string SwapSuffix = ".swap";

    /// <summary>A file on its way out: removed on sight.</summary>
    public const string DeletedSuffix = ".deleted";

    public static string Prefix(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogFile(string directory, long baseOffset) => Path.Combine(directory, Prefix(baseOffset) + LogSuffix);

    public static string IndexFile(string directory, long baseOffset) => Path.Combine(directory, Prefix(baseOffset) + IndexSuffix);

    public static string TimeIndexFile(string directory, long baseOffset) => Path.Combine(directory, Prefix(baseOffset) + TimeIndexSuffix);

    /// <summary>Reads the base offset from a name such as <c>00000000000000000042.log</c>.</summary>
    public static bool TryParseBaseOffset(string fileName, out long baseOffset)
    {
        var dot = fileName.IndexOf('.');
        var digits = dot < 0 ? fileName : fileName[..dot];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset) && digits.Length == 20;
    }
}
