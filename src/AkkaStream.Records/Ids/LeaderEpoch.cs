namespace AkkaStream.Records.Ids;

/// <summary>
/// The generation of a partition's leadership. Every new leader gets a higher epoch; a message
/// carrying an older epoch comes from a deposed leader and is refused.
/// </summary>
public readonly record struct LeaderEpoch(int Value) : IComparable<LeaderEpoch>
{
    /// <summary>Kafka's "no epoch" value (-1): the batch was not written by a leader yet.</summary>
    public static readonly LeaderEpoch None = new(-1);

    public int CompareTo(LeaderEpoch other) => Value.CompareTo(other.Value);

    public static bool operator <(LeaderEpoch a, LeaderEpoch b) => a.Value < b.Value;
    public static bool operator >(LeaderEpoch a, LeaderEpoch b) => a.Value > b.Value;
    public static bool operator <=(LeaderEpoch a, LeaderEpoch b) => a.Value <= b.Value;
    public static bool operator >=(LeaderEpoch a, LeaderEpoch b) => a.Value >= b.Value;

    public LeaderEpoch Next() => new(Value + 1);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
