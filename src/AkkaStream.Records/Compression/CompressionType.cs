namespace AkkaStream.Records.Compression;

/// <summary>The codec of a batch, as stored in bits 0-2 of its attributes.</summary>
public enum CompressionType
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
