namespace AkkaStream.Records.Ids;

/// <summary>The id the cluster gives an idempotent or transactional producer; -1 for a plain producer.</summary>
public readonly record struct ProducerId(long Value)
{
    public static readonly ProducerId None = new(-1);

    public bool IsNone => Value < 0;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
