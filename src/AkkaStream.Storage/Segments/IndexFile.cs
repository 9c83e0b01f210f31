using Microsoft.Win32.SafeHandles;

namespace AkkaStream.Storage.Segments;

/// <summary>
/// A sparse index of one segment: fixed-size entries in increasing order, held in memory and
/// written to its file behind the data it points at. Not thread-safe: owned by its segment, whose
/// log serializes access.
/// </summary>
/// <remarks>
/// Entries reach the file only when the segment flushes, rolls or closes, i.e. after the log data
/// they point into has been written, so an index on disk never points past data that was lost.
/// The file is not trusted on its own either: it is loaded only when every entry is in order and
/// inside the log file, and a lookup checks the batch it lands on (see <see cref="LogSegment"/>).
/// Anything else is rebuilt from the log, which is always the source of truth.
/// </remarks>
internal abstract class IndexFile<TEntry> : IDisposable
    where TEntry : struct
{
    private readonly SafeFileHandle _file;
    private TEntry[] _entries;
    private int _count;
    private int _persistedCount;

    protected IndexFile(string path, long baseOffset, int maxIndexBytes)
    {
        Path = path;
        BaseOffset = baseOffset;
        MaxEntries = Math.Max(1, maxIndexBytes / EntrySizeOf());
        _entries = new TEntry[16];
        _file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
    }

    public string Path { get; private set; }

    public long BaseOffset { get; }

    public int Count => _count;

    public int MaxEntries { get; }

    public bool IsFull => _count >= MaxEntries;

    public TEntry? Last => _count == 0 ? null : _entries[_count - 1];

    protected abstract int EntrySize { get; }

    public TEntry this[int index] => _entries[index];

    /// <summary>Appends an entry; the caller guarantees it sorts after the last one.</summary>
    public void Append(TEntry entry)
    {
        if (IsFull)
        {
            throw new InvalidOperationException($"{Path} already holds its {MaxEntries} entries");
        }
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Min(Math.Max(16, _entries.Length * 2), Math.Max(MaxEntries, 16)));
        }
        _entries[_count++] = entry;
    }

    /// <summary>Keeps the first <paramref name="count"/> entries.</summary>
    public void TruncateToCount(int count)
    {
        if (count >= _count)
        {
            return;
        }
        _count = Math.Max(0, count);
        if (_persistedCount > _count)
        {
            _persistedCount = _count;
            RandomAccess.SetLength(_file, (long)_count * EntrySize);
        }
    }

    public void Clear() => TruncateToCount(0);

    /// <summary>The index of the last entry for which <paramref name="isAtOrBefore"/> holds, or -1.</summary>
    public int FindLast(Func<TEntry, bool> isAtOrBefore)
    {
        int lo = 0, hi = _count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (isAtOrBefore(_entries[mid]))
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    /// <summary>Writes the entries not yet in the file, without forcing them to disk.</summary>
    public void WritePending()
    {
        if (_persistedCount == _count)
        {
            return;
        }
        var pending = _count - _persistedCount;
        var buffer = new byte[pending * EntrySize];
        for (var i = 0; i < pending; i++)
        {
            Encode(_entries[_persistedCount + i], buffer.AsSpan(i * EntrySize, EntrySize));
        }
        RandomAccess.Write(_file, buffer, (long)_persistedCount * EntrySize);
        _persistedCount = _count;
    }

    /// <summary>Writes pending entries and forces the file to disk.</summary>
    public void Flush()
    {
        WritePending();
        RandomAccess.FlushToDisk(_file);
    }

    /// <summary>
    /// Loads the entries from the file. Returns false, leaving the index empty, when the file's size
    /// is not a whole number of entries or an entry is out of order or invalid.
    /// </summary>
    public bool TryLoad(Func<TEntry, TEntry?, bool> isValidAfter)
    {
        var length = RandomAccess.GetLength(_file);
        _count = 0;
        _persistedCount = 0;
        if (length % EntrySize != 0 || length / EntrySize > MaxEntries)
        {
            return false;
        }
        var bytes = new byte[length];
        if (FileReads.ReadFully(_file, bytes, 0) < bytes.Length)
        {
            return false;
        }
        var count = (int)(length / EntrySize);
        _entries = new TEntry[Math.Max(16, count)];
        TEntry? previous = null;
        for (var i = 0; i < count; i++)
        {
            var entry = Decode(bytes.AsSpan(i * EntrySize, EntrySize));
            if (!isValidAfter(entry, previous))
            {
                _count = 0;
                return false;
            }
            _entries[i] = entry;
            previous = entry;
        }
        _count = count;
        _persistedCount = count;
        return true;
    }

    /// <summary>Empties the index and its file, before a rebuild from the log.</summary>
    public void Reset()
    {
        _count = 0;
        _persistedCount = 0;
        RandomAccess.SetLength(_file, 0);
    }

    /// <summary>Renames the file (the handle stays valid on POSIX systems).</summary>
    public void RenameTo(string newPath)
    {
        File.Move(Path, newPath, overwrite: true);
        Path = newPath;
    }

    public void Dispose() => _file.Dispose();

    protected abstract void Encode(TEntry entry, Span<byte> destination);

    protected abstract TEntry Decode(ReadOnlySpan<byte> source);

    private int EntrySizeOf() => EntrySize;
}
