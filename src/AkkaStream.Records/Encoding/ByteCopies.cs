namespace AkkaStream.Records.Encoding;

/// <summary>
/// Copies of bytes into new arrays that the runtime does not zero first: the copy overwrites every
/// byte at once. A record batch travels as such a copy (out of a Kafka request's frame, out of a
/// log read for a fetch), and for a batch of a megabyte the zeroing, and the first touch of fresh
/// memory it brings, cost more than the copy itself: a tenth of a broker's CPU under a Confluent
/// producer's 1 MB batches (docs/BENCHMARKS.md). Stateless.
/// </summary>
public static class ByteCopies
{
    public static byte[] ToArray(ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty) return [];
        var copy = GC.AllocateUninitializedArray<byte>(source.Length);
        source.CopyTo(copy);
        return copy;
    }
}
