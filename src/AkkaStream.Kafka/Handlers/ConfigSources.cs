namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// Kafka's DescribeConfigs vocabulary (ConfigEntry.ConfigSource and ConfigType): where a value
/// comes from and what kind of value it is, so that clients show and validate them as they do for
/// Kafka. Thread-safe (constants).
/// </summary>
public static class ConfigSources
{
    public const sbyte TopicConfig = 1;
    public const sbyte StaticBrokerConfig = 4;
    public const sbyte DefaultConfig = 5;

    public const sbyte TypeBoolean = 1;
    public const sbyte TypeString = 2;
    public const sbyte TypeInt = 3;
    public const sbyte TypeLong = 5;
    public const sbyte TypeDouble = 6;
    public const sbyte TypeList = 7;

    /// <summary>The type of each topic setting (Kafka's LogConfig definitions).</summary>
    public static sbyte TypeOf(string name) => name switch
    {
        "segment.bytes" or "segment.index.bytes" or "index.interval.bytes" or "max.message.bytes" or "min.insync.replicas" => TypeInt,
        "cleanup.policy" => TypeList,
        "min.cleanable.dirty.ratio" => TypeDouble,
        "unclean.leader.election.enable" => TypeBoolean,
        "message.timestamp.type" => TypeString,
        _ when name.EndsWith(".ms", StringComparison.Ordinal) || name.EndsWith(".bytes", StringComparison.Ordinal) || name == "flush.messages" => TypeLong,
        _ => TypeString,
    };

    /// <summary>Kafka's config resource types (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs).</summary>
    public const sbyte TopicResource = 2;
    public const sbyte BrokerResource = 4;
}
