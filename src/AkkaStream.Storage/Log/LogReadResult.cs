using System.Buffers;
using AkkaStream.Records.Ids;

namespace AkkaStream.Storage.Log;

/// <summary>
/// Whole batches read from a log, in a pooled buffer: dispose the result once the bytes have been
/// sent or copied. Not thread-safe; owned by whoever asked for the read.
/// </summary>
public sealed class LogReadResult : IDisposable
{
    private byte[]? _buffer;

    internal LogReadResult(byte[] buffer, int length, Offset nextOffset, Offset logStartOffset, Offset logEndOffset)
    {
        _buffer = buffer;
        Length = length;
        NextOffset = nextOffset;
        LogStartOffset = logStartOffset;
        LogEndOffset = logEndOffset;
    }

    /// <summary>The batches, laid end to end as they are on disk. The first may start below the requested offset.</summary>
    public ReadOnlyMemory<byte> Records => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    public int Length { get; }

    public bool IsEmpty => Length == 0;

    /// <summary>The offset after the last batch returned: where the next read continues.</summary>
    public Offset NextOffset { get; }

    public Offset LogStartOffset { get; }

    public Offset LogEndOffset { get; }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
