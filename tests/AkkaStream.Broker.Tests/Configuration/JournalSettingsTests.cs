using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Hosting;

namespace AkkaStream.Broker.Tests.Configuration;

public sealed class JournalSettingsTests
{
    private const string Postgres = "akkastream.journal.kind = postgresql";
    private const string Connection = "akkastream.journal.postgresql.connection-string = \"Host=db1;Port=5433;Database=stream;Username=broker;Password=secret\"";

    private static BrokerSettings Load(params string[] settings) => BrokerSettings.Create(BrokerConfig.Load(null, settings));

    [Fact]
    public void The_postgresql_kind_reads_its_connection_string_schema_and_dialect()
    {
        var settings = Load(Postgres, Connection, "akkastream.journal.postgresql.schema = cluster_a");

        Assert.Equal(BrokerSettings.PostgresJournalKind, settings.JournalKind);
        Assert.Equal(new PostgresJournalOptions("Host=db1;Port=5433;Database=stream;Username=broker;Password=secret", "cluster_a", "PostgreSQL.15"), settings.Postgres);
        Assert.Equal("broker@db1:5433/stream schema cluster_a", settings.Postgres!.Describe());
        Assert.Null(Load().Postgres);
    }

    [Theory]
    [InlineData("akkastream.journal.postgresql.connection-string = \"\"", "akkastream.journal.postgresql.connection-string", "must be set")]
    [InlineData("akkastream.journal.postgresql.connection-string = \"Hots=db1\"", "akkastream.journal.postgresql.connection-string", "not an Npgsql connection string")]
    [InlineData("akkastream.journal.postgresql.connection-string = \"Database=x\"", "akkastream.journal.postgresql.connection-string", "names no Host")]
    [InlineData("akkastream.journal.postgresql.schema = \"Cluster-A\"", "akkastream.journal.postgresql.schema", "not a lower-case identifier")]
    [InlineData("akkastream.journal.postgresql.provider-name = \"SqlServer.2019\"", "akkastream.journal.postgresql.provider-name", "not a PostgreSQL dialect")]
    public void Postgresql_mistakes_are_refused_naming_the_key(string mistake, string key, string expected)
    {
        var e = Assert.Throws<BrokerConfigException>(() => Load(Postgres, Connection, mistake));

        Assert.Equal(key, e.Key);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_journal_the_read_journal_and_the_snapshot_store_all_point_at_the_postgresql_schema()
    {
        var config = ClusterJournal.Config(Load(Postgres, Connection, "akkastream.journal.postgresql.schema = cluster_a"))!;

        foreach (var plugin in (string[])["akka.persistence.journal.sql", ClusterJournal.ReadJournalId, "akka.persistence.snapshot-store.sql"])
        {
            Assert.Equal("Host=db1;Port=5433;Database=stream;Username=broker;Password=secret", config.GetString($"{plugin}.connection-string"));
            Assert.Equal("PostgreSQL.15", config.GetString($"{plugin}.provider-name"));
            Assert.Equal("cluster_a", config.GetString($"{plugin}.default.schema-name"));
        }
        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
    }

    [Fact]
    public void Sqlite_keeps_the_plugins_default_schema_and_custom_sets_no_journal()
    {
        var sqlite = ClusterJournal.Config(Load())!;

        Assert.Equal("SQLite.MS", sqlite.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.False(sqlite.HasPath("akka.persistence.journal.sql.default.schema-name"));
        Assert.Null(ClusterJournal.Config(Load("akkastream.journal.kind = custom")));
    }

    [Fact]
    public void The_example_node_file_for_several_machines_binds_every_interface_and_names_its_public_host_and_postgresql()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "hocon", "cluster-postgresql.conf");
        var config = BrokerConfig.Load(file);
        var settings = BrokerSettings.Create(config);

        Assert.Equal(("0.0.0.0", "broker1.example.com", 2552), (settings.ListenerHost, settings.PublicHost, settings.ListenerPort));
        Assert.Equal(("0.0.0.0", "broker1.example.com", 9092), (settings.Kafka.Host, settings.Kafka.AdvertisedHost, settings.Kafka.Port));
        Assert.Equal(("0.0.0.0", "broker1.example.com", 8080), (settings.Http.Host, settings.Http.PublicHost, settings.Http.Port));
        Assert.Equal("akkastream@db.example.com:5432/akkastream schema akkastream", settings.Postgres!.Describe());
        Assert.Equal(3, config.GetStringList("akka.cluster.seed-nodes").Count);
    }

    [Fact]
    public void An_unreachable_server_stops_start_up_naming_the_server_but_not_the_password()
    {
        // A port nothing listens on: the connection is refused at once.
        var port = FreePort();
        var settings = Load(Postgres, $"akkastream.journal.postgresql.connection-string = \"Host=127.0.0.1;Port={port};Database=stream;Username=broker;Password=secret;Timeout=5\"");

        var e = Assert.Throws<IOException>(() => ClusterJournal.Prepare(settings));

        Assert.Contains($"broker@127.0.0.1:{port}/stream", e.Message);
        Assert.Contains("akkastream.journal.postgresql", e.Message);
        Assert.DoesNotContain("secret", e.Message);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
