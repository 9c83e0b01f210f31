using AkkaStream.Records.Errors;

namespace AkkaStream.Records.Compression;

/// <summary>The codec for each compression type of the batch format. Thread-safe.</summary>
public static class CompressionCodecs
{
    private static readonly ICompressionCodec[] Codecs =
    [
        NoCompressionCodec.Instance,
        GzipCodec.Instance,
        SnappyCodec.Instance,
        Lz4Codec.Instance,
        ZstdCodec.Instance,
    ];

    /// <summary>The codec for <paramref name="type"/>; <see cref="ErrorCode.UnsupportedCompressionType"/> for unknown codes.</summary>
    public static ICompressionCodec For(CompressionType type) =>
        (uint)type < (uint)Codecs.Length
            ? Codecs[(int)type]
            : throw new AkkaStreamException(ErrorCode.UnsupportedCompressionType, $"unknown compression type {(int)type}");
}
