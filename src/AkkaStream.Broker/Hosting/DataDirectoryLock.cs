using System.Globalization;
using AkkaStream.Broker.Configuration;

namespace AkkaStream.Broker.Hosting;

/// <summary>
/// Keeps one process per data directory: holds <c>&lt;data-dir&gt;/.lock</c> open with no sharing
/// for as long as the broker runs (Kafka's <c>.lock</c>). The operating system releases it if the
/// process dies. The holder's process id goes in <c>.lock.pid</c> beside it (the lock file itself
/// cannot be read while held), so that a refused broker can say which process to look at.
/// Not thread-safe; owned by the <see cref="BrokerNode"/>.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = ".lock";

    public const string PidFileName = ".lock.pid";

    private const string Key = BrokerSettings.Root + ".data-dir";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Creates the directory if needed and locks it.</summary>
    /// <exception cref="BrokerConfigException">Another process (or another broker in this one) holds the directory, or it cannot be created.</exception>
    public static DataDirectoryLock Acquire(string dataDir)
    {
        try
        {
            Directory.CreateDirectory(dataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrokerConfigException(Key, $"cannot create {dataDir}: {e.Message}; expected a directory this user may write", e);
        }
        var path = Path.Combine(dataDir, FileName);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new BrokerConfigException(Key,
                $"the data directory {dataDir} is in use by another broker ({Holder(dataDir)} holds {path}); expected a data directory no running broker uses", e);
        }
        File.WriteAllText(Path.Combine(dataDir, PidFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new DataDirectoryLock(file);
    }

    public void Dispose() => _file.Dispose();

    private static string Holder(string dataDir)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(dataDir, PidFileName)).Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return "another process";
            return pid == Environment.ProcessId ? $"this process (pid {pid})" : $"process {pid}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }
}
