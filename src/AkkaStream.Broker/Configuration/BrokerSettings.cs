using Akka.Configuration;
using AkkaStream.Broker.Groups;
using AkkaStream.Broker.Topics;
using AkkaStream.Records.Errors;
using AkkaStream.Storage;
using AkkaStream.Storage.Cleaner;

namespace AkkaStream.Broker.Configuration;

/// <summary>
/// A broker's settings, read once from the <c>akkastream { }</c> section (see <c>hocon/reference.conf</c>
/// for what each means and its Kafka name). Immutable.
/// </summary>
public sealed record BrokerSettings
{
    public const string Root = "akkastream";

    public required int BrokerId { get; init; }

    /// <summary>The data directory, as a full path.</summary>
    public required string DataDir { get; init; }

    public required string ListenerHost { get; init; }

    public required int ListenerPort { get; init; }

    /// <summary>The host other nodes and clients use to reach this broker.</summary>
    public required string PublicHost { get; init; }

    public required int DefaultReplicationFactor { get; init; }

    public required int NumPartitions { get; init; }

    public required bool AutoCreateTopics { get; init; }

    /// <summary>The defaults of every topic's log settings.</summary>
    public required LogConfig TopicDefaults { get; init; }

    public required TimeSpan MaintenanceInterval { get; init; }

    public required bool CleanerEnabled { get; init; }

    public required LogCleanerOptions CleanerOptions { get; init; }

    public required int RecoveryThreads { get; init; }

    /// <summary><c>sqlite</c> or <c>custom</c>.</summary>
    public required string JournalKind { get; init; }

    /// <summary>The SQLite journal file, as a full path.</summary>
    public required string JournalPath { get; init; }

    public required TimeSpan JournalBusyTimeout { get; init; }

    public required int SnapshotEvery { get; init; }

    public required TimeSpan AdminTimeout { get; init; }

    public required TimeSpan MetadataRefreshInterval { get; init; }

    /// <summary>Kafka: auto.leader.rebalance.enable. Whether the controller moves leadership back to preferred replicas by itself.</summary>
    public required bool AutoLeaderRebalance { get; init; }

    /// <summary>Kafka: leader.imbalance.check.interval.seconds.</summary>
    public required TimeSpan LeaderImbalanceCheckInterval { get; init; }

    /// <summary>How followers fetch and when the leader counts them in sync (see <see cref="ReplicationSettings"/>).</summary>
    public required ReplicationSettings Replication { get; init; }

    /// <summary>The consumer-group coordinators (<c>akkastream.groups</c>).</summary>
    public required GroupSettings Groups { get; init; }

    /// <summary>The Kafka wire-protocol listener (<c>akkastream.kafka</c>).</summary>
    public required KafkaListenerOptions Kafka { get; init; }

    /// <summary>The HTTP listener: web console, metrics, health (<c>akkastream.http</c>).</summary>
    public required HttpListenerOptions Http { get; init; }

    /// <summary>The cluster role every broker has; the controller singleton runs on these nodes.</summary>
    public const string BrokerRole = "broker";

    /// <summary>The role that names this node's broker id.</summary>
    public string BrokerIdRole => RoleFor(BrokerId);

    public static string RoleFor(int brokerId) => $"broker-id-{brokerId}";

    /// <summary>Reads the settings.</summary>
    /// <exception cref="BrokerConfigException">A missing or bad setting, named by its key.</exception>
    public static BrokerSettings Create(Config config)
    {
        var reader = new Reader(config);
        var dataDir = Path.GetFullPath(reader.String("data-dir", allowEmpty: false));
        var host = reader.String("listener.host", allowEmpty: false);
        var publicHost = reader.String("listener.public-host", allowEmpty: true);
        var journalPath = reader.String("journal.sqlite-path", allowEmpty: true);
        var kind = reader.String("journal.kind", allowEmpty: false);
        if (kind is not ("sqlite" or "custom"))
        {
            throw new BrokerConfigException(Root + ".journal.kind", $"must be sqlite or custom, not '{kind}'");
        }
        var kafkaHost = reader.String("kafka.host", allowEmpty: false);
        var kafkaPort = reader.Int("kafka.port", 0, 65535);
        var advertisedHost = reader.String("kafka.advertised-host", allowEmpty: true);
        var advertisedPort = reader.Int("kafka.advertised-port", 0, 65535);
        var kafka = new KafkaListenerOptions(reader.Bool("kafka.enabled"), kafkaHost, kafkaPort,
            advertisedHost.Length == 0 ? kafkaHost : advertisedHost, advertisedPort == 0 ? kafkaPort : advertisedPort,
            reader.Int("kafka.max-request-size", 1024, int.MaxValue));
        return new BrokerSettings
        {
            BrokerId = reader.Int("broker-id", 0, int.MaxValue),
            DataDir = dataDir,
            ListenerHost = host,
            ListenerPort = reader.Int("listener.port", 0, 65535),
            PublicHost = publicHost.Length == 0 ? host : publicHost,
            Kafka = kafka,
            Http = ReadHttp(reader),
            DefaultReplicationFactor = reader.Int("default-replication-factor", 1, short.MaxValue),
            NumPartitions = reader.Int("num-partitions", 1, 1_000_000),
            AutoCreateTopics = reader.Bool("auto-create-topics"),
            TopicDefaults = ReadTopicDefaults(config) with
            {
                ProducerIdExpirationMs = (long)reader.Duration("producer-id-expiration").TotalMilliseconds,
            },
            MaintenanceInterval = reader.Duration("log-maintenance.interval"),
            CleanerEnabled = reader.Bool("log-maintenance.cleaner-enabled"),
            CleanerOptions = new LogCleanerOptions
            {
                MaxMapEntries = reader.Int("log-maintenance.cleaner-max-map-entries", 1, int.MaxValue),
                WriteBufferBytes = reader.Int("log-maintenance.cleaner-write-buffer-bytes", 1024, int.MaxValue),
            },
            RecoveryThreads = reader.Int("log-maintenance.recovery-threads", 1, 1024),
            JournalKind = kind,
            JournalPath = Path.GetFullPath(journalPath.Length == 0 ? Path.Combine(dataDir, "cluster.db") : journalPath),
            JournalBusyTimeout = reader.Duration("journal.busy-timeout"),
            SnapshotEvery = reader.Int("journal.snapshot-every", 1, int.MaxValue),
            AdminTimeout = reader.Duration("admin-timeout"),
            MetadataRefreshInterval = reader.Duration("metadata-refresh-interval"),
            AutoLeaderRebalance = reader.Bool("auto-leader-rebalance"),
            LeaderImbalanceCheckInterval = reader.Duration("leader-imbalance-check-interval"),
            Groups = ReadGroups(reader),
            Replication = new ReplicationSettings
            {
                LagTimeMax = reader.Duration("replica-lag-time-max"),
                FetchWaitMax = reader.Duration("replication.fetch-wait-max"),
                FetchMinBytes = reader.Int("replication.fetch-min-bytes", 1, int.MaxValue),
                FetchMaxBytes = reader.Int("replication.fetch-max-bytes", 64 * 1024, ReplicationSettings.FrameBudget),
                FetchPartitionMaxBytes = reader.Int("replication.fetch-partition-max-bytes", 1024, ReplicationSettings.FrameBudget),
                FetchBackoff = reader.Duration("replication.fetch-backoff"),
                FollowerThrottledRate = reader.Int("replication.follower-throttled-rate", 0, int.MaxValue),
                HighWatermarkCheckpointInterval = reader.Duration("replication.high-watermark-checkpoint-interval"),
            },
        };
    }

    private static HttpListenerOptions ReadHttp(Reader reader)
    {
        var host = reader.String("http.host", allowEmpty: false);
        var publicHost = reader.String("http.public-host", allowEmpty: true);
        var port = reader.Int("http.port", 0, 65535);
        var publicPort = reader.Int("http.public-port", 0, 65535);
        return new HttpListenerOptions(reader.Bool("http.enabled"), host, port,
            publicHost.Length == 0 ? host : publicHost, publicPort == 0 ? port : publicPort);
    }

    private static GroupSettings ReadGroups(Reader reader)
    {
        var groups = new GroupSettings
        {
            Shards = reader.Int("groups.shards", 1, 100_000),
            MinSessionTimeout = reader.Duration("groups.min-session-timeout"),
            MaxSessionTimeout = reader.Duration("groups.max-session-timeout"),
            InitialRebalanceDelay = reader.Duration("groups.initial-rebalance-delay", allowZero: true),
            OffsetsRetention = reader.Duration("groups.offsets-retention"),
            OffsetsRetentionCheckInterval = reader.Duration("groups.offsets-retention-check-interval"),
            OffsetMetadataMaxBytes = reader.Int("groups.offset-metadata-max-bytes", 0, int.MaxValue),
            SnapshotEvery = reader.Int("groups.snapshot-every", 1, int.MaxValue),
            PassivateIdleAfter = reader.Duration("groups.passivate-idle-after"),
        };
        if (groups.MinSessionTimeout > groups.MaxSessionTimeout)
        {
            throw new BrokerConfigException(Root + ".groups.min-session-timeout", "must not exceed groups.max-session-timeout");
        }
        return groups;
    }

    private static LogConfig ReadTopicDefaults(Config config)
    {
        var result = LogConfig.Default;
        foreach (var name in TopicConfigParser.Names)
        {
            var key = $"{Root}.topic-defaults.{name.Replace('.', '-')}";
            if (!config.HasPath(key))
            {
                continue;
            }
            try
            {
                result = TopicConfigParser.Parse(new Dictionary<string, string> { [name] = config.GetString(key) }, result);
            }
            catch (AkkaStreamException e)
            {
                throw new BrokerConfigException(key, e.Message, e);
            }
        }
        return result;
    }

    /// <summary>Reads settings under <c>akkastream</c>, turning every failure into one that names the key.</summary>
    private readonly struct Reader(Config config)
    {
        public string String(string key, bool allowEmpty)
        {
            var value = Get(key, (c, k) => c.GetString(k, null));
            if (value is null || (!allowEmpty && value.Trim().Length == 0))
            {
                throw new BrokerConfigException(Full(key), "must be set");
            }
            return value.Trim();
        }

        public int Int(string key, int min, int max)
        {
            var text = String(key, allowEmpty: false);
            if (!long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                throw new BrokerConfigException(Full(key), $"'{text}' is not an integer");
            }
            if (value < min || value > max)
            {
                throw new BrokerConfigException(Full(key), $"{value} is outside [{min}, {max}]");
            }
            return (int)value;
        }

        public bool Bool(string key)
        {
            var text = String(key, allowEmpty: false);
            return text.ToLowerInvariant() switch
            {
                "on" or "true" or "yes" => true,
                "off" or "false" or "no" => false,
                _ => throw new BrokerConfigException(Full(key), $"'{text}' is not on/off or true/false"),
            };
        }

        public TimeSpan Duration(string key, bool allowZero = false)
        {
            var value = Get(key, (c, k) => c.GetTimeSpan(k, null, allowInfinite: false));
            if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !allowZero))
            {
                throw new BrokerConfigException(Full(key), allowZero ? "must not be negative" : "must be a positive duration, e.g. 30s");
            }
            return value;
        }

        private T Get<T>(string key, Func<Config, string, T> read)
        {
            var full = Full(key);
            if (!config.HasPath(full))
            {
                throw new BrokerConfigException(full, "is missing");
            }
            try
            {
                return read(config, full);
            }
            catch (Exception e) when (e is not BrokerConfigException)
            {
                throw new BrokerConfigException(full, $"cannot be read: {e.Message}", e);
            }
        }

        private static string Full(string key) => $"{Root}.{key}";
    }
}
