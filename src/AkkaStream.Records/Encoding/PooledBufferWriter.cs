using System.Buffers;

namespace AkkaStream.Records.Encoding;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one array rented from <see cref="ArrayPool{T}.Shared"/>,
/// grown by renting a larger array and returning the old one. <see cref="Clear"/> keeps the array
/// for reuse; <see cref="Dispose"/> gives it back. Not thread-safe: one owner at a time.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumGrowth = 256;

    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 0)
    {
        _buffer = initialCapacity > 0 ? ArrayPool<byte>.Shared.Rent(initialCapacity) : [];
    }

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The bytes written, writable in place (to patch a header written ahead of its contents).</summary>
    public Span<byte> WrittenSpanMutable => _buffer.AsSpan(0, _written);

    public int WrittenCount => _written;

    /// <summary>Forgets what was written and keeps the rented array.</summary>
    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written))
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"cannot advance {count} bytes past the {_buffer.Length - _written} requested");
        }
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Reserve(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }
        var required = (long)_written + Math.Max(needed, MinimumGrowth);
        var doubled = Math.Max(required, 2L * _buffer.Length);
        var capacity = (int)Math.Min(doubled, Array.MaxLength);
        if (capacity < required)
        {
            throw new OutOfMemoryException($"a pooled buffer cannot grow past {Array.MaxLength} bytes");
        }
        var grown = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _written).CopyTo(grown);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = grown;
    }
}
