using Microsoft.Data.Sqlite;

namespace AkkaStream.Broker.Hosting;

/// <summary>
/// The cluster journal on SQLite: the WAL switch made once before the ActorSystem starts, and the
/// connection string that points Akka.Persistence.Sql at the file (see <see cref="ClusterJournal"/>).
/// Thread-safe (stateless).
/// </summary>
public static class SqliteJournal
{
    /// <summary>linq2db's name of Microsoft.Data.Sqlite.</summary>
    private const string ProviderName = "SQLite.MS";

    /// <summary>
    /// Puts the file in WAL mode (a persistent property of the file; Microsoft.Data.Sqlite has no
    /// connection-string keyword for it, and Akka.Persistence.Sql opens its own connections), so
    /// that readers do not block the single writer that the brokers of a machine share.
    /// </summary>
    public static void EnsureWal(string path, TimeSpan busyTimeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new SqliteConnection(ConnectionString(path, busyTimeout));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteScalar();
    }

    public static string ConnectionString(string path, TimeSpan busyTimeout) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();

    /// <summary>The <c>akka.persistence</c> section for the file.</summary>
    public static string Hocon(string path, TimeSpan busyTimeout) =>
        ClusterJournal.Hocon(ConnectionString(path, busyTimeout), ProviderName, schema: null);
}
