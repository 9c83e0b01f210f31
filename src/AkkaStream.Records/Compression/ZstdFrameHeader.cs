using System.Buffers.Binary;

namespace AkkaStream.Records.Compression;

/// <summary>
/// Reads the content size from the header of a zstd frame (RFC 8878, section 3.1.1), when the
/// frame states it. Only a sizing hint: zstd itself validates the frame. Thread-safe (stateless).
/// <code>
///  off  size   field
///    0     4   magic                  0xFD2FB528, little-endian
///    4     1   frame header descriptor
///                bits 7-6  content size flag   (field size: 0 → 0, or 1 if single segment; 1 → 2; 2 → 4; 3 → 8)
///                bit  5    single segment      (no window descriptor; the content size is always present)
///                bits 1-0  dictionary id flag  (field size: 0, 1, 2 or 4)
///    5   0-1   window descriptor      absent in single-segment frames
///    …   0-4   dictionary id
///    …   0-8   content size           little-endian; a 2-byte field holds the size minus 256
/// </code>
/// </summary>
internal static class ZstdFrameHeader
{
    private const uint Magic = 0xFD2FB528;
    private const int MagicSize = sizeof(uint);
    private const int DescriptorOffset = MagicSize;
    private const int DescriptorSize = 1;
    private const int WindowDescriptorSize = 1;

    private const int ContentSizeFlagShift = 6;
    private const int SingleSegmentBit = 1 << 5;
    private const int DictionaryIdFlagMask = 0b11;

    // A 2-byte content size field stores the size minus this offset.
    private const int TwoByteContentSizeOffset = 256;

    private static ReadOnlySpan<byte> DictionaryIdSizes => [0, 1, 2, 4];

    private static ReadOnlySpan<byte> ContentSizeSizes => [0, 2, 4, 8];

    /// <summary>True, with the content size, when <paramref name="frame"/> opens with a zstd frame header that states it.</summary>
    public static bool TryReadContentSize(ReadOnlySpan<byte> frame, out ulong contentSize)
    {
        contentSize = 0;
        if (frame.Length < MagicSize + DescriptorSize || BinaryPrimitives.ReadUInt32LittleEndian(frame) != Magic)
        {
            return false;
        }
        var descriptor = frame[DescriptorOffset];
        var singleSegment = (descriptor & SingleSegmentBit) != 0;
        var contentSizeFlag = descriptor >> ContentSizeFlagShift;
        var fieldSize = contentSizeFlag == 0 && singleSegment ? 1 : ContentSizeSizes[contentSizeFlag];
        if (fieldSize == 0)
        {
            return false;
        }

        var fieldOffset = DescriptorOffset + DescriptorSize
            + (singleSegment ? 0 : WindowDescriptorSize)
            + DictionaryIdSizes[descriptor & DictionaryIdFlagMask];
        if (frame.Length < fieldOffset + fieldSize)
        {
            return false;
        }
        var field = frame.Slice(fieldOffset, fieldSize);
        contentSize = fieldSize switch
        {
            sizeof(byte) => field[0],
            sizeof(ushort) => (ulong)BinaryPrimitives.ReadUInt16LittleEndian(field) + TwoByteContentSizeOffset,
            sizeof(uint) => BinaryPrimitives.ReadUInt32LittleEndian(field),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(field),
        };
        return true;
    }
}
