using AkkaStream.Records.Errors;

namespace AkkaStream.Records.Compression;

/// <summary>
/// The failures every codec reports, worded the same way and always naming the codec, so that a
/// client told "corrupt message" can see which decoder refused its batch. Thread-safe (stateless).
/// </summary>
internal static class CodecErrors
{
    public static CorruptRecordException TooLarge(string codec, int limit) =>
        new($"{codec}: the records decompress to more than the limit of {limit} bytes");

    public static CorruptRecordException Empty(string codec) =>
        new($"{codec}: the compressed records are empty, which is not a valid {codec} stream");

    public static CorruptRecordException Invalid(string codec, string reason) =>
        new($"{codec}: invalid compressed records: {reason}");

    public static CorruptRecordException Invalid(string codec, Exception decoderFailure) =>
        new($"{codec}: invalid compressed records: {decoderFailure.Message}", decoderFailure);

    /// <summary>
    /// True for what a decoder library throws when it meets bytes it cannot decode. The libraries
    /// use many exception types for that (InvalidDataException, EndOfStreamException,
    /// ArgumentException, their own), and on hostile input possibly an index error, so rather than
    /// list them this lets everything through except our own errors (already worded) and the
    /// failures that say nothing about the data.
    /// </summary>
    public static bool IsDecoderFailure(Exception exception) =>
        exception is not (AkkaStreamException or OutOfMemoryException or OperationCanceledException);
}
