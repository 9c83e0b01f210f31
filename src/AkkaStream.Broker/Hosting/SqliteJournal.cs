using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AkkaStream.Broker.Hosting;

/// <summary>
/// The cluster journal on SQLite: the WAL switch made once before the ActorSystem starts, and the
/// Akka.Persistence.Sql settings that point the journal and snapshot store at the file.
/// Thread-safe (stateless).
/// </summary>
public static class SqliteJournal
{
    /// <summary>The read journal's plugin id (the <c>query.journal.sql</c> section below).</summary>
    public const string ReadJournalId = "akka.persistence.query.journal.sql";

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
    public static string Hocon(string path, TimeSpan busyTimeout)
    {
        var cs = Quote(ConnectionString(path, busyTimeout));
        return string.Create(CultureInfo.InvariantCulture, $$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = {{cs}}
                  provider-name = "SQLite.MS"
                  auto-initialize = true
                }
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                connection-string = {{cs}}
                provider-name = "SQLite.MS"
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = {{cs}}
                  provider-name = "SQLite.MS"
                  auto-initialize = true
                }
              }
            }
            """);
    }

    internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
