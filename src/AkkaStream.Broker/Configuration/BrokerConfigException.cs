namespace AkkaStream.Broker.Configuration;

/// <summary>A broker setting that is missing or has a value the broker cannot use; names the setting.</summary>
public sealed class BrokerConfigException(string key, string message, Exception? inner = null)
    : Exception($"{key}: {message}", inner)
{
    /// <summary>The full HOCON path of the setting, e.g. <c>akkastream.broker-id</c>.</summary>
    public string Key { get; } = key;
}
