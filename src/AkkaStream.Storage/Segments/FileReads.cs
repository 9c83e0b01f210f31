using Microsoft.Win32.SafeHandles;

namespace AkkaStream.Storage.Segments;

/// <summary>Positional reads that fill a buffer. Thread-safe (stateless; positional reads share no file offset).</summary>
internal static class FileReads
{
    /// <summary>
    /// Reads from <paramref name="position"/> until <paramref name="destination"/> is full or the file
    /// ends (a single read may return less than asked). Returns the number of bytes read.
    /// </summary>
    public static int ReadFully(SafeFileHandle file, Span<byte> destination, long position)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = RandomAccess.Read(file, destination[read..], position + read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        return read;
    }
}
