using System.Buffers;

namespace AkkaStream.Records.Compression;

/// <summary>
/// One compression codec of the record batch format. Implementations are stateless and thread-safe.
/// The compressed form is what Kafka clients put after the recordsCount field.
/// </summary>
public interface ICompressionCodec
{
    CompressionType Type { get; }

    /// <summary>Compresses <paramref name="source"/> and appends the result to <paramref name="destination"/>.</summary>
    void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination);

    /// <summary>
    /// Decompresses <paramref name="source"/> into <paramref name="destination"/>. Throws
    /// <see cref="Errors.CorruptRecordException"/> when the data is not valid for the codec, or
    /// when it would decompress to more than <paramref name="maxDecompressedBytes"/>.
    /// </summary>
    void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes);
}
