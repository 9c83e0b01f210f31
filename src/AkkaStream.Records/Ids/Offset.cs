namespace AkkaStream.Records.Ids;

/// <summary>The position of a record in a partition's log: 0 for the first record ever appended.</summary>
public readonly record struct Offset(long Value) : IComparable<Offset>
{
    public static readonly Offset Zero = new(0);

    /// <summary>Kafka's "no offset" value (-1), used where an offset is absent.</summary>
    public static readonly Offset None = new(-1);

    public int CompareTo(Offset other) => Value.CompareTo(other.Value);

    public static bool operator <(Offset a, Offset b) => a.Value < b.Value;
    public static bool operator >(Offset a, Offset b) => a.Value > b.Value;
    public static bool operator <=(Offset a, Offset b) => a.Value <= b.Value;
    public static bool operator >=(Offset a, Offset b) => a.Value >= b.Value;
    public static Offset operator +(Offset a, long delta) => new(a.Value + delta);
    public static Offset operator -(Offset a, long delta) => new(a.Value - delta);

    public static Offset Min(Offset a, Offset b) => a.Value <= b.Value ? a : b;
    public static Offset Max(Offset a, Offset b) => a.Value >= b.Value ? a : b;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
