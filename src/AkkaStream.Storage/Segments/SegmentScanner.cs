using System.Buffers;
using AkkaStream.Records.Batches;
using Microsoft.Win32.SafeHandles;

namespace AkkaStream.Storage.Segments;

/// <summary>Why a scan of a segment's batches ended.</summary>
internal enum ScanEnd
{
    /// <summary>The last batch ended exactly at the end of the file.</summary>
    EndOfFile,

    /// <summary>The file ends inside a batch (a torn write or a cut file).</summary>
    TruncatedBatch,

    /// <summary>Bytes that cannot be a batch header (wrong magic, impossible length).</summary>
    MalformedHeader,
}

/// <summary>
/// Walks the batches of a segment's log file in order, reading it in large chunks into a pooled
/// buffer. Each step exposes the batch's position, decoded header and bytes; nothing but the header
/// is checked. Not thread-safe: one scan, one caller.
/// </summary>
internal sealed class SegmentScanner : IDisposable
{
    private const int DefaultChunkBytes = 1024 * 1024;

    private readonly SafeFileHandle _file;
    private readonly long _fileEnd;
    private readonly bool _headersOnly;
    private byte[] _buffer;
    private long _bufferFilePosition;
    private int _bufferLength;
    private long _next;

    /// <param name="headersOnly">
    /// Read only each batch's header, not its records: for walks that need offsets and positions,
    /// not contents. <see cref="CurrentBytes"/> is then unavailable.
    /// </param>
    public SegmentScanner(SafeFileHandle file, long startPosition, long fileEnd, bool headersOnly = false, int chunkBytes = DefaultChunkBytes)
    {
        _file = file;
        _headersOnly = headersOnly;
        _fileEnd = fileEnd;
        _next = startPosition;
        _buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        _bufferFilePosition = startPosition;
        _bufferLength = 0;
    }

    /// <summary>The file position of the current batch.</summary>
    public long Position { get; private set; } = -1;

    public RecordBatchHeader Current { get; private set; }

    /// <summary>The current batch's bytes; valid until the next step.</summary>
    public ReadOnlySpan<byte> CurrentBytes =>
        _headersOnly
            ? throw new InvalidOperationException("a headers-only scan does not read batch contents")
            : _buffer.AsSpan((int)(Position - _bufferFilePosition), Current.SizeInBytes);

    /// <summary>Where the next batch would start: after a scan, the end of the last whole batch.</summary>
    public long NextPosition => _next;

    public ScanEnd End { get; private set; }

    /// <summary>Steps to the next batch; false when the file ends or the bytes stop being batches (see <see cref="End"/>).</summary>
    public bool MoveNext()
    {
        var remainingInFile = _fileEnd - _next;
        if (remainingInFile == 0)
        {
            End = ScanEnd.EndOfFile;
            return false;
        }
        if (remainingInFile < RecordBatchLayout.HeaderSize)
        {
            End = ScanEnd.TruncatedBatch;
            return false;
        }
        if (!EnsureBuffered(_next, RecordBatchLayout.HeaderSize))
        {
            End = ScanEnd.TruncatedBatch;
            return false;
        }
        RecordBatchHeader.TryRead(BufferAt(_next), out var header);
        if (!header.IsStructurallyValid)
        {
            End = ScanEnd.MalformedHeader;
            return false;
        }
        if (header.SizeInBytes > remainingInFile || (!_headersOnly && !EnsureBuffered(_next, header.SizeInBytes)))
        {
            End = ScanEnd.TruncatedBatch;
            return false;
        }
        Current = header;
        Position = _next;
        _next += header.SizeInBytes;
        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private ReadOnlySpan<byte> BufferAt(long filePosition) =>
        _buffer.AsSpan((int)(filePosition - _bufferFilePosition), _bufferLength - (int)(filePosition - _bufferFilePosition));

    /// <summary>Makes [position, position + count) available in the buffer, reading ahead in chunks.</summary>
    private bool EnsureBuffered(long position, int count)
    {
        if (position >= _bufferFilePosition && position + count <= _bufferFilePosition + _bufferLength)
        {
            return true;
        }
        if (count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(count);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var toRead = (int)Math.Min(_buffer.Length, _fileEnd - position);
        var read = FileReads.ReadFully(_file, _buffer.AsSpan(0, toRead), position);
        _bufferFilePosition = position;
        _bufferLength = read;
        return read >= count;
    }
}
