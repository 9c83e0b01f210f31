using System.Reflection;
using Akka.Configuration;

namespace AkkaStream.Broker.Configuration;

/// <summary>
/// Loads a broker's configuration: <c>--set key=value</c> overrides, then the node's file, then the
/// embedded <c>reference.conf</c>. Thread-safe (stateless).
/// </summary>
public static class BrokerConfig
{
    private const string ReferenceResource = "AkkaStream.reference.conf";
    private const string SingleNodeResource = "AkkaStream.single-node.conf";

    /// <summary>The embedded <c>hocon/reference.conf</c>: every setting with its default.</summary>
    public static Config Reference { get; } = ConfigurationFactory.ParseString(ReadResource(ReferenceResource));

    /// <summary>The embedded <c>hocon/single-node.conf</c>: a one-broker cluster in ./data.</summary>
    public static string SingleNodeText { get; } = ReadResource(SingleNodeResource);

    /// <summary>
    /// The configuration from <paramref name="path"/> (the single-node defaults when null) with
    /// <paramref name="overrides"/> (<c>key=value</c>, HOCON values) on top and the reference below.
    /// </summary>
    /// <exception cref="BrokerConfigException">
    /// A file that cannot be read or parsed, a malformed override, an unknown key, or a bad setting,
    /// naming where it came from.
    /// </exception>
    public static Config Load(string? path, IEnumerable<string>? overrides = null) => Open(path, overrides).Config;

    /// <summary>
    /// As <see cref="Load"/>, also returning the layers the configuration was built from, so that an
    /// error found later in start-up (a port taken, a locked data directory) can name where its
    /// setting came from.
    /// </summary>
    /// <exception cref="BrokerConfigException">As <see cref="Load"/>.</exception>
    public static LoadedConfig Open(string? path, IEnumerable<string>? overrides = null)
    {
        var overrideLayer = ParseOverrides(overrides ?? []);
        var file = path is null
            ? ConfigurationFactory.ParseString(SingleNodeText)
            : Parse(ReadFile(path), path);
        var sources = new ConfigSources((ConfigSources.Override, overrideLayer), (path ?? ConfigSources.SingleNodeDefaults, file));
        var config = overrideLayer.WithFallback(file).WithFallback(Reference);
        try
        {
            Validate(sources, config);
        }
        catch (BrokerConfigException e)
        {
            throw sources.Attribute(e);
        }
        return new LoadedConfig(config, sources);
    }

    /// <summary>Parses HOCON text layered over the reference (for tests and embedding); its keys are checked as a file's are.</summary>
    /// <exception cref="BrokerConfigException">A text or override that cannot be parsed, or an unknown key.</exception>
    public static Config FromText(string hocon, IEnumerable<string>? overrides = null)
    {
        var overrideLayer = ParseOverrides(overrides ?? []);
        var text = Parse(hocon, "configuration");
        var sources = new ConfigSources((ConfigSources.Override, overrideLayer), ("configuration", text));
        try
        {
            foreach (var (_, layer) in sources.Layers) KnownSettings.Check(layer);
        }
        catch (BrokerConfigException e)
        {
            throw sources.Attribute(e);
        }
        return overrideLayer.WithFallback(text).WithFallback(Reference);
    }

    /// <summary>Unknown keys first (a misspelt key explains a default that seems wrong), then every value.</summary>
    private static void Validate(ConfigSources sources, Config config)
    {
        foreach (var (_, layer) in sources.Layers) KnownSettings.Check(layer);
        BrokerSettings.Create(config); // fail now, naming the key, rather than half-way through start-up
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrokerConfigException("--config", $"cannot read {path}: {e.Message}; expected a readable HOCON file", e);
        }
    }

    private static Config ParseOverrides(IEnumerable<string> overrides)
    {
        var result = Config.Empty;
        foreach (var item in overrides)
        {
            var equals = item.IndexOf('=');
            if (equals <= 0)
            {
                throw new BrokerConfigException(item, "expected an override of the form key=value").WithOrigin(ConfigSources.Override);
            }
            var key = item[..equals].Trim();
            var value = item[(equals + 1)..].Trim();
            Config parsed;
            try
            {
                parsed = ConfigurationFactory.ParseString($"{key} = {value}");
            }
            catch (Exception e)
            {
                // An unquoted value HOCON cannot read (a path with colons, say) is taken as a string.
                try
                {
                    parsed = ConfigurationFactory.ParseString($"{key} = \"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"");
                }
                catch
                {
                    throw new BrokerConfigException(key, $"cannot parse the override '{item}': {e.Message}", e).WithOrigin(ConfigSources.Override);
                }
            }
            // Later overrides win over earlier ones.
            result = parsed.WithFallback(result);
        }
        return result;
    }

    private static Config Parse(string text, string source)
    {
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e)
        {
            throw new BrokerConfigException(source, $"not valid HOCON: {e.Message}", e);
        }
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(BrokerConfig).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the broker assembly does not embed {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
