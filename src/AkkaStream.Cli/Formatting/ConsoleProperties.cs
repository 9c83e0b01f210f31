namespace AkkaStream.Cli.Formatting;

/// <summary>Reads the <c>--property</c> values of the console producer and consumer. Pure.</summary>
internal static class ConsoleProperties
{
    /// <summary>Kafka's console tools separate key and value with a tab unless told otherwise.</summary>
    public const string DefaultKeySeparator = "\t";

    /// <summary>The first property not in <paramref name="known"/>, as an error message; null when all are known.</summary>
    public static string? Unknown(IReadOnlyDictionary<string, string> properties, IReadOnlyCollection<string> known)
    {
        foreach (var name in properties.Keys)
        {
            if (!known.Contains(name))
            {
                return $"unknown property '{name}' (known: {string.Join(", ", known)})";
            }
        }
        return null;
    }

    public static bool TryGetFlag(IReadOnlyDictionary<string, string> properties, string name, out bool value, ref string? error)
    {
        value = false;
        if (!properties.TryGetValue(name, out var text))
        {
            return true;
        }
        if (bool.TryParse(text.Trim(), out value))
        {
            return true;
        }
        error ??= $"property {name} must be true or false, not '{text}'";
        return false;
    }

    public static bool TryGetSeparator(IReadOnlyDictionary<string, string> properties, out string separator, ref string? error)
    {
        separator = properties.GetValueOrDefault("key.separator", DefaultKeySeparator);
        if (separator.Length > 0)
        {
            return true;
        }
        error ??= "property key.separator may not be empty";
        return false;
    }
}
