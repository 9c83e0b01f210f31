using AkkaStream.Broker.Configuration;
using Npgsql;

namespace AkkaStream.Broker.Hosting;

/// <summary>
/// The cluster journal on PostgreSQL, for brokers on several machines: the server reached and the
/// schema made before the ActorSystem starts (Akka.Persistence.Sql creates the tables in it, but
/// not the schema), and the settings that point the plugin at it (see <see cref="ClusterJournal"/>).
/// Thread-safe (stateless).
/// </summary>
public static class PostgresJournal
{
    /// <summary>PostgreSQL's error for a schema that exists: another broker created it first.</summary>
    private const string DuplicateSchema = "42P06";

    /// <summary>PostgreSQL's unique violation, which two concurrent CREATE SCHEMA IF NOT EXISTS can also raise.</summary>
    private const string UniqueViolation = "23505";

    /// <summary>
    /// Connects once and creates the schema when it is missing. Creating needs the CREATE privilege
    /// on the database, so it is only tried when the schema is not there: a user that owns no more
    /// than an existing schema can still run brokers.
    /// </summary>
    /// <exception cref="IOException">The server cannot be reached, refuses the login, or the schema cannot be created.</exception>
    public static void EnsureSchema(PostgresJournalOptions options)
    {
        try
        {
            using var connection = new NpgsqlConnection(options.ConnectionString);
            connection.Open();
            using var exists = new NpgsqlCommand("SELECT 1 FROM pg_namespace WHERE nspname = @schema", connection);
            exists.Parameters.AddWithValue("schema", options.Schema);
            if (exists.ExecuteScalar() is not null) return;
            // The schema name is a checked lower-case identifier (PostgresJournalOptions), safe to write as it is.
            using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {options.Schema}", connection);
            create.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState is DuplicateSchema or UniqueViolation)
        {
            // Created meanwhile by a broker starting at the same time.
        }
        catch (NpgsqlException e)
        {
            throw new IOException($"The cluster journal on PostgreSQL ({options.Describe()}, akkastream.journal.postgresql) cannot be used: {e.Message}", e);
        }
    }

    /// <summary>The <c>akka.persistence</c> section for the database.</summary>
    public static string Hocon(PostgresJournalOptions options) =>
        ClusterJournal.Hocon(options.ConnectionString, options.ProviderName, options.Schema);
}
