namespace AkkaStream.Kafka.Protocol.Schema;

/// <summary>
/// An inclusive range of API versions, written as Kafka's message definitions write it:
/// "3+" (3 and later), "0-5", "7" or "none".
/// </summary>
public readonly record struct Versions(short Lowest, short Highest)
{
    public static readonly Versions None = new(1, 0);

    public static readonly Versions All = new(0, short.MaxValue);

    public bool IsEmpty => Lowest > Highest;

    public bool Contains(short version) => version >= Lowest && version <= Highest;

    public static Versions Parse(string text)
    {
        if (text == "none") return None;
        if (text.EndsWith('+')) return new(short.Parse(text[..^1]), short.MaxValue);
        var dash = text.IndexOf('-');
        return dash < 0
            ? new(short.Parse(text), short.Parse(text))
            : new(short.Parse(text[..dash]), short.Parse(text[(dash + 1)..]));
    }

    public static implicit operator Versions(string text) => Parse(text);

    public override string ToString() =>
        IsEmpty ? "none" : Highest == short.MaxValue ? $"{Lowest}+" : Lowest == Highest ? $"{Lowest}" : $"{Lowest}-{Highest}";
}
