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
    /// <exception cref="BrokerConfigException">A file that cannot be read or parsed, a malformed override, or a bad setting.</exception>
    public static Config Load(string? path, IEnumerable<string>? overrides = null)
    {
        Config file;
        if (path is null)
        {
            file = ConfigurationFactory.ParseString(SingleNodeText);
        }
        else
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BrokerConfigException("--config", $"cannot read {path}: {e.Message}", e);
            }
            file = Parse(text, "--config " + path);
        }
        var config = ParseOverrides(overrides ?? []).WithFallback(file).WithFallback(Reference);
        BrokerSettings.Create(config); // fail now, naming the key, rather than half-way through start-up
        return config;
    }

    /// <summary>Parses HOCON text layered over the reference (for tests and embedding).</summary>
    public static Config FromText(string hocon, IEnumerable<string>? overrides = null) =>
        ParseOverrides(overrides ?? []).WithFallback(Parse(hocon, "configuration")).WithFallback(Reference);

    private static Config ParseOverrides(IEnumerable<string> overrides)
    {
        var result = Config.Empty;
        foreach (var item in overrides)
        {
            var equals = item.IndexOf('=');
            if (equals <= 0)
            {
                throw new BrokerConfigException(item, "an override must look like key=value");
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
                    throw new BrokerConfigException(key, $"cannot parse the override '{item}': {e.Message}", e);
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
