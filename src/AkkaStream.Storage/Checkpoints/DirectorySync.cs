using System.Runtime.InteropServices;

namespace AkkaStream.Storage.Checkpoints;

/// <summary>
/// Flushes a directory's entries to disk, so that a file created or renamed in it survives a power
/// loss. Without it, a checkpoint renamed over its old version can come back as the old version
/// (or, for a first write, not at all) after a crash, although its content was fsynced.
/// <para>
/// .NET has no API for this: <c>File.OpenHandle</c> and <c>FileStream</c> refuse to open a
/// directory (they throw <see cref="UnauthorizedAccessException"/> on Linux), so on Unix-like
/// systems the directory is opened read-only with libc's <c>open(2)</c> and flushed with
/// <c>fsync(2)</c>. On Windows this is a no-op: a directory cannot be flushed there without
/// opening it for backup semantics, and NTFS journals the rename as metadata.
/// </para>
/// Thread-safety: stateless, may be called from any thread.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY, 0 on every Unix-like system
    private const int Interrupted = 4; // EINTR, 4 on Linux and the BSDs (macOS included)

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
            return;

        var fd = OpenRetryingOnInterrupt(directory);
        if (fd < 0)
            throw new IOException($"Cannot open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            int result;
            do
            {
                result = Native.fsync(fd);
            }
            while (result < 0 && Marshal.GetLastPInvokeError() == Interrupted);

            if (result < 0)
                throw new IOException($"Cannot flush directory '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    private static int OpenRetryingOnInterrupt(string directory)
    {
        // Close-on-exec, so that a child process started at this moment does not inherit the handle.
        var flags = ReadOnly | (OperatingSystem.IsLinux() ? 0x80000 : OperatingSystem.IsMacOS() ? 0x1000000 : 0);
        int fd;
        do
        {
            fd = Native.open(directory, flags);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Interrupted);
        return fd;
    }

    // open(2) is variadic; its third argument (the mode) is read only with O_CREAT, which is never
    // passed here, so declaring the two fixed arguments is enough on every calling convention.
    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
