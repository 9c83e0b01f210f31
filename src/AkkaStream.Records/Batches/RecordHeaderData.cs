namespace AkkaStream.Records.Batches;

/// <summary>
/// One header to append with a record: a string key, stored as UTF-8, and a value that may be null.
/// Immutable, so thread-safe; it references the caller's memory without copying it.
/// </summary>
public readonly struct RecordHeaderData
{
    public RecordHeaderData(string key, ReadOnlyMemory<byte> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Value = value;
        IsValueNull = false;
    }

    /// <summary>A header whose value is <paramref name="value"/>, or null when the array is null.</summary>
    public RecordHeaderData(string key, byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Value = value;
        IsValueNull = value is null;
    }

    public string Key { get; }

    public ReadOnlyMemory<byte> Value { get; }

    public bool IsValueNull { get; }

    /// <summary>A header with a null value (length -1 on the wire).</summary>
    public static RecordHeaderData WithNullValue(string key) => new(key, (byte[]?)null);
}
