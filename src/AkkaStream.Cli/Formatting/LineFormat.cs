using System.Text;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Formatting;

/// <summary>
/// How <c>produce</c> turns a line of standard input into a record: the whole line is the value,
/// or, with <c>parse.key=true</c>, the text before the first <c>key.separator</c> is the key and the
/// rest the value (Kafka's console producer). Immutable.
/// </summary>
public sealed record LineFormat(bool ParseKey, string KeySeparator)
{
    public static readonly IReadOnlyList<string> Properties = ["parse.key", "key.separator"];

    public static readonly LineFormat Default = new(false, ConsoleProperties.DefaultKeySeparator);

    /// <summary>Reads the producer's <c>--property</c> values; an unknown or malformed one is an error.</summary>
    public static bool TryCreate(IReadOnlyDictionary<string, string> properties, out LineFormat format, out string error)
    {
        string? problem = ConsoleProperties.Unknown(properties, Properties);
        ConsoleProperties.TryGetFlag(properties, "parse.key", out var parseKey, ref problem);
        ConsoleProperties.TryGetSeparator(properties, out var separator, ref problem);
        format = new LineFormat(parseKey, separator);
        error = problem ?? "";
        return problem is null;
    }

    /// <summary>
    /// The key (null without <see cref="ParseKey"/>) and value of <paramref name="line"/>, as UTF-8.
    /// A line without the separator is refused when keys are parsed, as Kafka's console producer does.
    /// </summary>
    public (byte[]? Key, byte[] Value) Split(string line, long lineNumber)
    {
        if (!ParseKey)
        {
            return (null, Encoding.UTF8.GetBytes(line));
        }
        var at = line.IndexOf(KeySeparator, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new AkkaStreamException(ErrorCode.InvalidRecord, $"line {lineNumber} has no key separator '{Escape(KeySeparator)}'");
        }
        return (Encoding.UTF8.GetBytes(line[..at]), Encoding.UTF8.GetBytes(line[(at + KeySeparator.Length)..]));
    }

    private static string Escape(string text) => text.Replace("\t", "\\t", StringComparison.Ordinal);
}
