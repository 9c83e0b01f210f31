using Akka.Configuration;

namespace AkkaStream.Broker.Configuration;

/// <summary>A broker's validated configuration and the layers it came from (see <see cref="BrokerConfig.Open"/>). Immutable.</summary>
public sealed record LoadedConfig(Config Config, ConfigSources Sources);
