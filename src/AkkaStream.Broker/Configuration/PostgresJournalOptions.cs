using System.Text.RegularExpressions;
using Npgsql;

namespace AkkaStream.Broker.Configuration;

/// <summary>
/// The cluster journal on PostgreSQL (<c>akkastream.journal.postgresql</c>), checked when read so
/// that a mistyped connection string stops start-up naming its key rather than failing every
/// persisted event later. Immutable.
/// </summary>
/// <param name="ConnectionString">An Npgsql connection string (Host, Port, Database, Username, Password, ...).</param>
/// <param name="Schema">The schema the journal, snapshot and tag tables live in; created when missing.</param>
/// <param name="ProviderName">linq2db's name of the PostgreSQL dialect, e.g. PostgreSQL.15.</param>
public sealed partial record PostgresJournalOptions(string ConnectionString, string Schema, string ProviderName)
{
    private const string Key = BrokerSettings.Root + ".journal.postgresql";

    /// <summary>Where the journal is, for messages: host, port, database and user, never the password.</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"{builder.Username ?? "(default user)"}@{builder.Host}:{builder.Port}/{builder.Database ?? "(default database)"} schema {Schema}";
    }

    /// <exception cref="BrokerConfigException">An empty or unparsable connection string, an unusable schema name or a provider name that is not PostgreSQL's.</exception>
    public static PostgresJournalOptions Create(string connectionString, string schema, string providerName)
    {
        if (connectionString.Length == 0)
        {
            throw new BrokerConfigException(Key + ".connection-string", "must be set when journal.kind = postgresql, e.g. \"Host=db1;Port=5432;Database=akkastream;Username=akkastream;Password=...\"");
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new BrokerConfigException(Key + ".connection-string", "names no Host");
            }
        }
        catch (ArgumentException e)
        {
            throw new BrokerConfigException(Key + ".connection-string", $"is not an Npgsql connection string: {e.Message}", e);
        }
        if (!Identifier().IsMatch(schema))
        {
            throw new BrokerConfigException(Key + ".schema", $"'{schema}' is not a lower-case identifier (letters, digits, _; at most 63)");
        }
        if (providerName != "PostgreSQL" && !providerName.StartsWith("PostgreSQL.", StringComparison.Ordinal))
        {
            throw new BrokerConfigException(Key + ".provider-name",
                $"'{providerName}' is not a PostgreSQL dialect of linq2db: PostgreSQL.<version> (9.2, 9.3, 9.5, 11, 12, 13, 15, 18) or PostgreSQL to detect it");
        }
        return new PostgresJournalOptions(connectionString, schema, providerName);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
