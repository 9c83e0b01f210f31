using System.Globalization;

namespace AkkaStream.Cli.Parsing;

/// <summary>Where <c>consume</c> starts: the log start, the log end, or a given offset. Immutable.</summary>
public readonly record struct StartOffset(StartOffset.Kind Where, long Offset)
{
    public enum Kind
    {
        Earliest,
        Latest,
        Exact,
    }

    public static readonly StartOffset Earliest = new(Kind.Earliest, -1);

    public static readonly StartOffset Latest = new(Kind.Latest, -1);

    public static StartOffset At(long offset) => new(Kind.Exact, offset);

    /// <summary>Reads <c>earliest</c>, <c>latest</c> or a non-negative offset (Kafka's console consumer's --offset).</summary>
    public static bool TryParse(string text, out StartOffset start)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("earliest", StringComparison.OrdinalIgnoreCase))
        {
            start = Earliest;
            return true;
        }
        if (trimmed.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            start = Latest;
            return true;
        }
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            start = At(offset);
            return true;
        }
        start = default;
        return false;
    }
}
