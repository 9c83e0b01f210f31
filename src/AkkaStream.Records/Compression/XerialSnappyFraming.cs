using System.Buffers.Binary;

namespace AkkaStream.Records.Compression;

/// <summary>
/// The framing snappy-java's SnappyOutputStream puts around raw snappy blocks, which the Java Kafka
/// client writes for snappy batches. This type only splits a stream into its blocks; decoding
/// them is <see cref="SnappyCodec"/>'s job. Thread-safe (stateless).
/// <code>
///  off  size  field
///    0     8  magic               0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
///    8     4  version             big-endian; 1
///   12     4  compatibleVersion   big-endian; the oldest reader version that can read the stream: 1
///   16     …  chunks, repeated:
///          4    length            big-endian, &gt; 0
///          …    block             one raw snappy block of that many bytes
/// </code>
/// snappy-java's reader also accepts a second stream appended to the first (a header where the
/// next chunk length would be), and so does this one. That cannot be mistaken for a chunk: the
/// magic's first four bytes read as a negative length.
/// </summary>
internal static class XerialSnappyFraming
{
    private const int MagicOffset = 0;
    private const int VersionOffset = 8;
    private const int CompatibleVersionOffset = 12;
    private const int HeaderSize = 16;
    private const int ChunkLengthSize = sizeof(int);

    // The reader version this parser implements: streams whose compatibleVersion is higher need a newer one.
    private const int ReaderVersion = 1;

    private static ReadOnlySpan<byte> Magic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0x00];

    /// <summary>True when <paramref name="source"/> starts with the framing's magic (it may still be malformed).</summary>
    public static bool IsFramed(ReadOnlySpan<byte> source) => source[MagicOffset..].StartsWith(Magic);

    /// <summary>The raw snappy blocks of a framed stream, in order; the enumeration throws on bad framing.</summary>
    public static ChunkEnumerator Chunks(ReadOnlySpan<byte> framed) => new(framed);

    /// <summary>Walks the chunks of a framed stream. Throws <see cref="Errors.CorruptRecordException"/> on bad framing.</summary>
    public ref struct ChunkEnumerator
    {
        private ReadOnlySpan<byte> _rest;

        internal ChunkEnumerator(ReadOnlySpan<byte> framed)
        {
            _rest = framed;
            Current = default;
        }

        /// <summary>The current raw snappy block.</summary>
        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly ChunkEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (IsFramed(_rest))
            {
                SkipHeader();
            }
            if (_rest.IsEmpty)
            {
                return false;
            }
            if (_rest.Length < ChunkLengthSize)
            {
                throw Corrupt($"{_rest.Length} stray bytes where a chunk length should be");
            }
            var length = BinaryPrimitives.ReadInt32BigEndian(_rest);
            var body = _rest[ChunkLengthSize..];
            if (length <= 0 || length > body.Length)
            {
                throw Corrupt($"chunk length {length} does not fit the {body.Length} bytes that follow it");
            }
            Current = body[..length];
            _rest = body[length..];
            return true;
        }

        private void SkipHeader()
        {
            if (_rest.Length < HeaderSize)
            {
                throw Corrupt($"the header needs {HeaderSize} bytes, only {_rest.Length} are left");
            }
            var compatibleVersion = BinaryPrimitives.ReadInt32BigEndian(_rest[CompatibleVersionOffset..]);
            if (compatibleVersion > ReaderVersion)
            {
                var version = BinaryPrimitives.ReadInt32BigEndian(_rest[VersionOffset..]);
                throw Corrupt($"stream version {version} needs a reader of version {compatibleVersion}; this one is version {ReaderVersion}");
            }
            _rest = _rest[HeaderSize..];
        }

        private static Errors.CorruptRecordException Corrupt(string reason) =>
            CodecErrors.Invalid(SnappyCodec.Name, $"xerial framing: {reason}");
    }
}
