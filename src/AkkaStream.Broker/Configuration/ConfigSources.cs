using Akka.Configuration;

namespace AkkaStream.Broker.Configuration;

/// <summary>
/// The layers a broker's configuration was built from, highest priority first (<c>--set</c>
/// overrides, then the node's file), so that an error can name where a setting came from.
/// Immutable.
/// </summary>
public sealed class ConfigSources
{
    /// <summary>What an override given on the command line is called in messages.</summary>
    public const string Override = "--set";

    /// <summary>What the node file is called when <c>akkastream broker</c> runs without <c>--config</c>.</summary>
    public const string SingleNodeDefaults = "the embedded single-node defaults (hocon/single-node.conf)";

    /// <summary>Where a setting nobody set comes from.</summary>
    public const string ReferenceDefaults = "the embedded defaults (hocon/reference.conf)";

    private readonly (string Name, Config Config)[] _layers;

    public ConfigSources(params (string Name, Config Config)[] layers) => _layers = layers;

    /// <summary>The user's layers, highest priority first (the reference is not one of them).</summary>
    public IReadOnlyList<(string Name, Config Config)> Layers => _layers;

    /// <summary>The first layer that sets <paramref name="key"/>, or the reference when none does.</summary>
    public string NameOf(string key)
    {
        foreach (var (name, config) in _layers)
        {
            if (Sets(config, key)) return name;
        }
        return ReferenceDefaults;
    }

    /// <summary>The error naming the layer its key came from (unchanged when it already names one).</summary>
    public BrokerConfigException Attribute(BrokerConfigException error) =>
        error.Origin is null ? error.WithOrigin(NameOf(error.Key)) : error;

    private static bool Sets(Config config, string key)
    {
        try
        {
            return !config.IsEmpty && config.HasPath(key);
        }
        catch (Exception)
        {
            // A key that is not a HOCON path (e.g. "--config") is set by no layer.
            return false;
        }
    }
}
