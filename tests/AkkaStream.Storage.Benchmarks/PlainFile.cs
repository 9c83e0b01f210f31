namespace AkkaStream.Storage.Benchmarks;

/// <summary>
/// The baseline: the same bytes through a plain file, with nothing of the log's work (no
/// validation, no indexes, no locking). Thread-safe (stateless).
/// </summary>
internal static class PlainFile
{
    /// <summary>
    /// Writes <paramref name="batchCount"/> batches from the pool to a new file, one write call per
    /// batch through an unbuffered <see cref="FileStream"/>, calling <c>Flush(flushToDisk: true)</c>
    /// (fsync) after every <paramref name="batchesBetweenFlushes"/> batches (0: never).
    /// </summary>
    /// <returns>The bytes written and the seconds the writes took (opening and closing the file are not timed).</returns>
    public static (long Bytes, double Seconds) Write(string path, BatchPool pool, long batchCount, long batchesBetweenFlushes)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        long written = 0;
        var seconds = Timing.Seconds(() =>
        {
            for (long i = 0; i < batchCount; i++)
            {
                var batch = pool[i];
                file.Write(batch);
                written += batch.Length;
                if (batchesBetweenFlushes > 0 && (i + 1) % batchesBetweenFlushes == 0)
                {
                    file.Flush(flushToDisk: true);
                }
            }
        });
        return (written, seconds);
    }

    /// <summary>Reads the files from start to end in <paramref name="chunkBytes"/> reads into one buffer.</summary>
    /// <returns>The bytes read.</returns>
    public static long Read(IEnumerable<string> paths, int chunkBytes)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(chunkBytes);
        long total = 0;
        foreach (var path in paths)
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long position = 0;
            int n;
            while ((n = RandomAccess.Read(handle, buffer, position)) > 0)
            {
                position += n;
            }
            total += position;
        }
        return total;
    }

    /// <summary>The segment (<c>.log</c>) files of a partition log's directory, in offset order.</summary>
    public static string[] SegmentFiles(string logDirectory) =>
        Directory.GetFiles(logDirectory, "*.log").Order(StringComparer.Ordinal).ToArray();
}
