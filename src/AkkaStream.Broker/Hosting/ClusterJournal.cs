using System.Globalization;
using Akka.Configuration;
using AkkaStream.Broker.Configuration;

namespace AkkaStream.Broker.Hosting;

/// <summary>
/// The cluster journal, whichever store holds it: the store made ready before the ActorSystem
/// starts, and the <c>akka.persistence</c> section that points the journal, the read journal and
/// the snapshot store of Akka.Persistence.Sql at it (SQLite or PostgreSQL; <c>custom</c> leaves
/// that section to the node's file). Thread-safe (stateless).
/// </summary>
public static class ClusterJournal
{
    /// <summary>The read journal's plugin id (the <c>query.journal.sql</c> section below), whatever the store.</summary>
    public const string ReadJournalId = "akka.persistence.query.journal.sql";

    /// <summary>
    /// Makes the store ready: SQLite's file in WAL mode, or PostgreSQL reached and its schema
    /// created. Runs before the ActorSystem, so that an unusable store stops start-up with one
    /// clear error instead of failing every persisted event.
    /// </summary>
    /// <exception cref="IOException">The store cannot be used; the message says why and where.</exception>
    public static void Prepare(BrokerSettings settings)
    {
        switch (settings.JournalKind)
        {
            case BrokerSettings.SqliteJournalKind:
                SqliteJournal.EnsureWal(settings.JournalPath, settings.JournalBusyTimeout);
                break;
            case BrokerSettings.PostgresJournalKind:
                PostgresJournal.EnsureSchema(settings.Postgres!);
                break;
        }
    }

    /// <summary>The <c>akka.persistence</c> section for the configured store, or null for <c>custom</c>.</summary>
    public static Config? Config(BrokerSettings settings) => settings.JournalKind switch
    {
        BrokerSettings.SqliteJournalKind => ConfigurationFactory.ParseString(SqliteJournal.Hocon(settings.JournalPath, settings.JournalBusyTimeout)),
        BrokerSettings.PostgresJournalKind => ConfigurationFactory.ParseString(PostgresJournal.Hocon(settings.Postgres!)),
        _ => null,
    };

    /// <summary>
    /// The journal, read journal and snapshot store of Akka.Persistence.Sql on one database, their
    /// tables created at start. <paramref name="schema"/> null keeps the plugin's default (none).
    /// </summary>
    internal static string Hocon(string connectionString, string providerName, string? schema)
    {
        var cs = HoconText.Quote(connectionString);
        var provider = HoconText.Quote(providerName);
        // Each plugin reads its own copy of the table mapping (the read journal's is resolved from
        // the journal's when the plugin's defaults are parsed), so the schema goes into all three.
        var mapping = schema is null ? "" : $"default.schema-name = {HoconText.Quote(schema)}";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = {{cs}}
                  provider-name = {{provider}}
                  auto-initialize = true
                  {{mapping}}
                }
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                connection-string = {{cs}}
                provider-name = {{provider}}
                {{mapping}}
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = {{cs}}
                  provider-name = {{provider}}
                  auto-initialize = true
                  {{mapping}}
                }
              }
            }
            """);
    }
}
