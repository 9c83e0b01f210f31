namespace AkkaStream.Broker.Hosting;

/// <summary>
/// Keeps one process per data directory: holds <c>&lt;data-dir&gt;/.lock</c> open with no sharing
/// for as long as the broker runs (Kafka's <c>.lock</c>). The operating system releases it if the
/// process dies. Not thread-safe; owned by the <see cref="BrokerNode"/>.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Creates the directory if needed and locks it.</summary>
    /// <exception cref="IOException">Another process (or another broker in this one) holds the directory.</exception>
    public static DataDirectoryLock Acquire(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        try
        {
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new IOException($"the data directory {dataDir} is in use by another broker ({path} is locked)", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
