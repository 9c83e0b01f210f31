using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace AkkaStream.Records.Compression;

/// <summary>
/// Compression type 1: a gzip stream (RFC 1952), as Java's GZIPOutputStream and librdkafka write
/// it. Concatenated members are read too, as RFC 1952 allows. Thread-safe (stateless).
/// </summary>
/// <remarks>
/// .NET's <see cref="GZipStream"/> ends quietly when its input runs out in the middle of a member
/// (unless the process sets the System.IO.Compression.UseStrictValidation switch, which a library
/// cannot rely on), so a truncated batch would decompress to a shorter, plausible record list.
/// The decoder therefore checks the last member's trailer itself: its CRC-32 and length must
/// match the bytes produced. zlib has already checked the trailer of every earlier member before
/// it moved on to the next.
/// </remarks>
public sealed class GzipCodec : ICompressionCodec
{
    private const string Name = "gzip";

    // RFC 1952: a member is a 10-byte header, deflate data, then an 8-byte trailer holding
    // CRC32 and ISIZE (the data's length modulo 2^32), both little-endian.
    private const int MemberHeaderSize = 10;
    private const int TrailerSize = 8;
    private const int TrailerCrcOffset = 0;
    private const int TrailerLengthOffset = 4;

    // The shortest deflate data: one final, empty block with fixed codes (2 bytes).
    private const int MinDeflateSize = 2;
    private const int MinMemberSize = MemberHeaderSize + MinDeflateSize + TrailerSize;

    // Scratch space for the second pass over a stream of several members.
    private const int ScratchBytes = 64 * 1024;

    // A whole member holding nothing: header (OS unknown), one final empty fixed-codes block
    // (03 00), CRC32 0 and ISIZE 0. GZipStream writes no bytes at all for empty input, which
    // no gzip reader accepts; Java's GZIPOutputStream writes a member like this one.
    private static ReadOnlySpan<byte> EmptyMember =>
        [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    public static readonly GzipCodec Instance = new();

    private GzipCodec()
    {
    }

    public CompressionType Type => CompressionType.Gzip;

    /// <summary>Deflate level 6, the level Java's and librdkafka's default (-1) stands for.</summary>
    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        if (source.IsEmpty)
        {
            destination.Write(EmptyMember);
            return;
        }
        using var sink = new BufferWriterStream(destination);
        using var gzip = new GZipStream(sink, CompressionLevel.Optimal, leaveOpen: true);
        gzip.Write(source);
    }

    public void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        var output = new BoundedBufferWriter(destination, maxDecompressedBytes, Name);
        if (source.Length < MinMemberSize)
        {
            throw CodecErrors.Invalid(Name, $"{source.Length} bytes cannot hold a gzip member, which takes at least {MinMemberSize}");
        }

        // GZipStream reads only from a stream, and a span cannot back one: copy the compressed
        // side, the smaller one, into a pooled array. The output goes straight to the destination.
        var compressed = ArrayPool<byte>.Shared.Rent(source.Length);
        try
        {
            source.CopyTo(compressed);
            var register = Inflate(compressed, source.Length, output);
            CheckLastTrailer(source[^TrailerSize..], compressed, source.Length, output.Written, ~register);
        }
        catch (Exception e) when (CodecErrors.IsDecoderFailure(e))
        {
            throw CodecErrors.Invalid(Name, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    /// <summary>Inflates every member into <paramref name="output"/>; returns the raw CRC-32 register over all of it.</summary>
    private static uint Inflate(byte[] compressed, int length, BoundedBufferWriter output)
    {
        using var gzip = OpenReader(compressed, length);
        var register = ~0u;
        while (true)
        {
            var span = output.GetSpan();
            var read = gzip.Read(span);
            if (read == 0)
            {
                return register;
            }
            register = GzipCrc32.Update(register, span[..read]);
            output.Advance(read);
        }
    }

    private static void CheckLastTrailer(ReadOnlySpan<byte> trailer, byte[] compressed, int length, int written, uint crc)
    {
        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer[TrailerCrcOffset..]);
        // ISIZE is the length modulo 2^32; outputs here are shorter than 2^31 bytes.
        var lastMemberLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[TrailerLengthOffset..]);
        if (lastMemberLength == (uint)written && expectedCrc == crc)
        {
            return; // one member, whole: what every Kafka client writes
        }
        if (lastMemberLength < (uint)written && expectedCrc == CrcOfTail(compressed, length, written - (int)lastMemberLength))
        {
            return; // several members, the last one whole
        }
        throw CodecErrors.Invalid(Name, "the stream is truncated, or its last member's CRC-32 and length do not match its data");
    }

    /// <summary>
    /// The CRC-32 of the output after its first <paramref name="skip"/> bytes, found by inflating
    /// again into scratch space. Only streams of several members come here.
    /// </summary>
    private static uint CrcOfTail(byte[] compressed, int length, int skip)
    {
        using var gzip = OpenReader(compressed, length);
        var scratch = ArrayPool<byte>.Shared.Rent(ScratchBytes);
        try
        {
            var register = ~0u;
            var position = 0;
            int read;
            while ((read = gzip.Read(scratch, 0, ScratchBytes)) > 0)
            {
                var chunk = scratch.AsSpan(0, read);
                if (position + read > skip)
                {
                    register = GzipCrc32.Update(register, chunk[Math.Max(0, skip - position)..]);
                }
                position += read;
            }
            return ~register;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static GZipStream OpenReader(byte[] compressed, int length) =>
        new(new MemoryStream(compressed, 0, length, writable: false), CompressionMode.Decompress);
}
