using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace AkkaStream.Storage.Checkpoints;

/// <summary>Parses one entry line of a checkpoint file; returns false when the line is malformed.</summary>
public delegate bool CheckpointEntryParser<T>(string line, [MaybeNullWhen(false)] out T entry);

/// <summary>
/// Reads and writes the small text checkpoint files a partition keeps beside its segments
/// (<c>leader-epoch-checkpoint</c>, and the log's recovery-point and log-start-offset
/// checkpoints), in Kafka's checkpoint text format:
/// <code>
/// line 1      version            decimal int, e.g. 0
/// line 2      entry count N      decimal int
/// lines 3..   N entries          one per line, formatted by the caller (e.g. "epoch startOffset")
/// </code>
/// Every line, the last included, ends with '\n'. The files are written in UTF-8 without a BOM;
/// "\r\n" is accepted on reading.
/// <para>
/// Thread-safety: the class is stateless, but two concurrent writes to the same path share one
/// temporary file and must not overlap; each checkpoint has a single owner (its partition log),
/// which serializes its writes.
/// </para>
/// </summary>
public static class CheckpointFile
{
    /// <summary>Suffix of the temporary file a write goes through before it replaces the checkpoint.</summary>
    public const string TempSuffix = ".tmp";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Replaces the checkpoint at <paramref name="path"/> with <paramref name="entries"/>, durably
    /// and atomically: after a crash at any moment the file holds either the old content or the new
    /// one, never a mix. The content goes to <c>path + ".tmp"</c>, which is fsynced, renamed over
    /// <paramref name="path"/>, and then the directory is fsynced so that the rename itself
    /// survives a power loss (see <see cref="DirectorySync"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An entry contains a line break, or the version is negative.</exception>
    /// <exception cref="IOException">The disk refused the write; the old checkpoint is still in place.</exception>
    /// <exception cref="UnauthorizedAccessException">The temporary file or the checkpoint cannot be replaced (permissions, or a directory in the way); the old checkpoint is still in place.</exception>
    public static void Write(string path, int version, IReadOnlyList<string> entries)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentNullException.ThrowIfNull(entries);

        var text = new StringBuilder();
        text.Append(version.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(entries.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.AsSpan().IndexOfAny('\n', '\r') >= 0)
                throw new ArgumentException($"Checkpoint entry {i} contains a line break: '{entry}'.", nameof(entries));
            text.Append(entry).Append('\n');
        }

        var fullPath = Path.GetFullPath(path);
        var tempPath = fullPath + TempSuffix;
        using (var stream = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Utf8.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(tempPath, fullPath, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/>. A missing file is
    /// <see cref="CheckpointStatus.Missing"/>. A file that is empty, cut short, of another version,
    /// has a count that does not match its entry lines, or has a line <paramref name="parseEntry"/>
    /// rejects is <see cref="CheckpointStatus.Corrupt"/>, with the first problem described. A
    /// leftover <c>.tmp</c> file from an interrupted write is not looked at.
    /// </summary>
    /// <remarks>
    /// Stricter than Kafka's reader in two ways, both aimed at partial files: an empty file or one
    /// with only a version line is corrupt (Kafka reads it as no entries, because Kafka creates the
    /// file empty before its first write; we never do), and the last line must end with '\n' —
    /// every writer ends it so, and a file cut inside its last entry ("1 5" of "1 50") would
    /// otherwise still parse.
    /// </remarks>
    /// <exception cref="IOException">The file exists but could not be read (a disk error, not corruption).</exception>
    public static CheckpointContent<T> Read<T>(string path, int expectedVersion, CheckpointEntryParser<T> parseEntry)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(parseEntry);

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return CheckpointContent<T>.Missing();
        }
        catch (DirectoryNotFoundException)
        {
            return CheckpointContent<T>.Missing();
        }

        string text;
        try
        {
            text = Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return CheckpointContent<T>.Corrupt("the file is not valid UTF-8 text");
        }

        if (text.Length == 0)
            return CheckpointContent<T>.Corrupt("the file is empty");
        if (text[^1] != '\n')
            return CheckpointContent<T>.Corrupt("the last line does not end with a line break (the file was cut short)");

        // Drop the final '\n' so that splitting yields exactly the file's lines.
        var lines = text[..^1].Split('\n');
        for (var i = 0; i < lines.Length; i++)
            lines[i] = lines[i].TrimEnd('\r');

        if (!TryParseCount(lines[0], out var version))
            return CheckpointContent<T>.Corrupt($"line 1: version '{lines[0]}' is not a number");
        if (version != expectedVersion)
            return CheckpointContent<T>.Corrupt($"line 1: version {version}, expected {expectedVersion}");

        if (lines.Length < 2)
            return CheckpointContent<T>.Corrupt("the entry count line is missing (the file was cut short)");
        if (!TryParseCount(lines[1], out var count))
            return CheckpointContent<T>.Corrupt($"line 2: entry count '{lines[1]}' is not a non-negative number");

        var found = lines.Length - 2;
        if (found != count)
            return CheckpointContent<T>.Corrupt($"line 2 announces {count} entries but the file has {found}");

        var entries = new T[count];
        for (var i = 0; i < count; i++)
        {
            var line = lines[i + 2];
            if (!parseEntry(line, out var entry))
                return CheckpointContent<T>.Corrupt($"line {i + 3}: malformed entry '{line}'");
            entries[i] = entry;
        }

        return CheckpointContent<T>.Valid(entries);
    }

    // Digits only: no sign, no blanks, no thousands separators.
    private static bool TryParseCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
