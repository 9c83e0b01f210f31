using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AkkaStream.Storage.Cleaner;

/// <summary>
/// The cleaner's key → latest-offset map over the dirty part of a log (Kafka's <c>OffsetMap</c>).
/// It stores a 128-bit digest of each key, never the key: 24 bytes per slot (two 64-bit halves of
/// the digest and the offset) in an open-addressing table with linear probing, kept under 70% full.
/// Not thread-safe: one cleaning run owns it.
/// </summary>
/// <remarks>
/// The digest is SHA-256 truncated to 128 bits. Two different keys with the same digest would make
/// the older one look superseded and its latest value would be dropped, so the digest must not
/// collide, even for keys chosen by a hostile producer: a fast non-cryptographic hash (xxHash,
/// FNV) can be steered into collisions on purpose, and a 64-bit one collides by chance after a few
/// billion keys. 128 bits of SHA-256 put a chance collision among n keys at about n²/2¹²⁹ (below
/// 10⁻²⁰ for a billion keys) and need a preimage-resistant hash to be forced. Kafka makes the same
/// trade with MD5 (also 128 bits). The BCL has no 128-bit xxHash without a package, and SHA-256 is
/// hardware accelerated on current CPUs, so hashing is not the bottleneck next to decompression.
/// Because the digest spreads keys uniformly, its low bits serve directly as the slot index.
/// </remarks>
internal sealed class KeyOffsetMap
{
    private const double MaxLoad = 0.7;
    private const int DigestBytes = 32;

    private ulong[] _high;
    private ulong[] _low;
    private long[] _offsets;
    private int _mask;

    /// <param name="maxEntries">
    /// How many keys the map is meant to hold (see <see cref="IsFull"/>); the cleaner stops adding
    /// segments once it is reached, so it is a soft limit, passed by at most one segment's keys.
    /// </param>
    public KeyOffsetMap(int maxEntries, int initialCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        MaxEntries = maxEntries;
        var capacity = (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)initialCapacity));
        _high = new ulong[capacity];
        _low = new ulong[capacity];
        _offsets = NewOffsets(capacity);
        _mask = capacity - 1;
    }

    public int Count { get; private set; }

    public int MaxEntries { get; }

    public bool IsFull => Count >= MaxEntries;

    /// <summary>The largest offset put so far, or -1.</summary>
    public long LatestOffset { get; private set; } = -1;

    /// <summary>Records that <paramref name="key"/> was written at <paramref name="offset"/>; the larger offset wins.</summary>
    public void Put(ReadOnlySpan<byte> key, long offset)
    {
        if (Count + 1 > MaxLoad * _offsets.Length)
        {
            Grow();
        }
        var (high, low) = Digest(key);
        var slot = FindSlot(high, low);
        if (_offsets[slot] < 0)
        {
            _high[slot] = high;
            _low[slot] = low;
            _offsets[slot] = offset;
            Count++;
        }
        else if (offset > _offsets[slot])
        {
            _offsets[slot] = offset;
        }
        LatestOffset = Math.Max(LatestOffset, offset);
    }

    /// <summary>The latest offset recorded for <paramref name="key"/>, or -1 when it is not in the map.</summary>
    public long Get(ReadOnlySpan<byte> key)
    {
        var (high, low) = Digest(key);
        return _offsets[FindSlot(high, low)];
    }

    internal static (ulong High, ulong Low) Digest(ReadOnlySpan<byte> key)
    {
        Span<byte> digest = stackalloc byte[DigestBytes];
        SHA256.HashData(key, digest);
        return (BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]));
    }

    /// <summary>The slot holding the digest, or the empty slot where it would go.</summary>
    private int FindSlot(ulong high, ulong low)
    {
        var slot = (int)(low & (ulong)_mask);
        while (_offsets[slot] >= 0 && (_high[slot] != high || _low[slot] != low))
        {
            slot = (slot + 1) & _mask;
        }
        return slot;
    }

    private void Grow()
    {
        var (high, low, offsets) = (_high, _low, _offsets);
        var capacity = checked(offsets.Length * 2);
        _high = new ulong[capacity];
        _low = new ulong[capacity];
        _offsets = NewOffsets(capacity);
        _mask = capacity - 1;
        for (var i = 0; i < offsets.Length; i++)
        {
            if (offsets[i] >= 0)
            {
                var slot = FindSlot(high[i], low[i]);
                _high[slot] = high[i];
                _low[slot] = low[i];
                _offsets[slot] = offsets[i];
            }
        }
    }

    private static long[] NewOffsets(int capacity)
    {
        var offsets = new long[capacity];
        offsets.AsSpan().Fill(-1);
        return offsets;
    }
}
