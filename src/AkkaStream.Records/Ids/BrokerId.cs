namespace AkkaStream.Records.Ids;

/// <summary>A broker's stable id, from its configuration.</summary>
public readonly record struct BrokerId(int Value)
{
    public static readonly BrokerId None = new(-1);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
