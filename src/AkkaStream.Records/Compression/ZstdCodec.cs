using System.Buffers;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace AkkaStream.Records.Compression;

/// <summary>
/// Compression type 4: zstd frames (RFC 8878). Thread-safe: ZstdSharp's contexts are not, and are
/// costly to create, so each thread keeps one compressor and one decompressor of its own.
/// </summary>
/// <remarks>
/// Java's zstd-jni writes streaming frames whose header does not state the content size, so the
/// decoder always streams: into one span that holds the whole content when the header states
/// its size (zstd then decodes in a single pass, straight into the destination), and through
/// zstd's window buffer in chunks otherwise.
/// </remarks>
public sealed class ZstdCodec : ICompressionCodec
{
    private const string Name = "zstd";

    // Kafka's default compression.zstd.level, and zstd's.
    private const int CompressionLevel = 3;

    // The largest window a frame may declare: zstd's own default limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT),
    // which the Java client's zstd-jni streams keep too, so frames from producers at any level
    // (up to 22) are read. zstd sizes its history buffer from the declared window, not from the
    // output limit, so a hostile frame can make it allocate up to 128 MiB.
    private const int MaxWindowLog = 27;

    [ThreadStatic]
    private static Compressor? t_compressor;

    [ThreadStatic]
    private static Decompressor? t_decompressor;

    public static readonly ZstdCodec Instance = new();

    private ZstdCodec()
    {
    }

    public CompressionType Type => CompressionType.Zstd;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var compressor = t_compressor ??= new Compressor(CompressionLevel);
        var span = destination.GetSpan(Compressor.GetCompressBound(source.Length));
        destination.Advance(compressor.Wrap(source, span));
    }

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        var output = new BoundedBufferWriter(destination, maxDecompressedBytes, Name);
        if (source.IsEmpty)
        {
            throw CodecErrors.Empty(Name);
        }
        try
        {
            Decode(source, output);
        }
        catch (Exception e) when (CodecErrors.IsDecoderFailure(e))
        {
            throw CodecErrors.Invalid(Name, e);
        }
    }

    private static void Decode(ReadOnlySpan<byte> source, BoundedBufferWriter output)
    {
        var spanHint = 0;
        if (ZstdFrameHeader.TryReadContentSize(source, out var contentSize))
        {
            output.EnsureRoom((long)Math.Min(contentSize, long.MaxValue));
            spanHint = (int)contentSize;
        }

        var decompressor = t_decompressor ??= NewDecompressor();
        // An earlier call that failed may have left the context in the middle of a frame.
        decompressor.ResetStream();
        while (true)
        {
            var span = output.GetSpan(spanHint);
            var status = decompressor.UnwrapStream(source, span, out var consumed, out var written);
            output.Advance(written);
            source = source[consumed..];
            switch (status)
            {
                case OperationStatus.Done:
                    return;
                case OperationStatus.DestinationTooSmall:
                    break;
                case OperationStatus.NeedMoreData when written == span.Length:
                    // All input is taken but the span filled up, so zstd may still hold decoded
                    // bytes: ask again with room. If it holds none, that call writes less than a
                    // full span and lands in the case below.
                    break;
                case OperationStatus.NeedMoreData:
                    throw CodecErrors.Invalid(Name, "the input ends in the middle of a frame");
                default:
                    throw CodecErrors.Invalid(Name, "zstd rejected the frame");
            }
            spanHint = 0;
        }
    }

    private static Decompressor NewDecompressor()
    {
        var decompressor = new Decompressor();
        decompressor.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, MaxWindowLog);
        return decompressor;
    }
}
