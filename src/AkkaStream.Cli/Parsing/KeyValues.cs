namespace AkkaStream.Cli.Parsing;

/// <summary>Parses <c>key=value</c> arguments (topic configs, console properties). Pure.</summary>
public static class KeyValues
{
    /// <summary>
    /// Splits <paramref name="text"/> at its first '=': the key is trimmed and may not be empty; the
    /// value is kept as written and may be empty or hold more '='.
    /// </summary>
    public static bool TryParse(string text, out KeyValuePair<string, string> pair, out string error)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? "" : text[..equals].Trim();
        if (key.Length == 0)
        {
            pair = default;
            error = $"'{text}' is not key=value";
            return false;
        }
        pair = new(key, text[(equals + 1)..]);
        error = "";
        return true;
    }

    /// <summary>Parses every argument; a key given twice keeps its last value, as Kafka's tools do.</summary>
    public static bool TryParseAll(IEnumerable<string> texts, out IReadOnlyDictionary<string, string> pairs, out string error)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (!TryParse(text, out var pair, out error))
            {
                pairs = result;
                return false;
            }
            result[pair.Key] = pair.Value;
        }
        pairs = result;
        error = "";
        return true;
    }
}
