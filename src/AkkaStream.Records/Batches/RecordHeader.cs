namespace AkkaStream.Records.Batches;

/// <summary>
/// A view of one header of a decoded record. The spans point into the batch (or the reader's
/// decompression buffer) and are valid only while the reader is. Immutable.
/// </summary>
public readonly ref struct RecordHeader
{
    internal RecordHeader(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isValueNull)
    {
        Key = key;
        Value = value;
        IsValueNull = isValueNull;
    }

    /// <summary>The key's UTF-8 bytes. Header keys are never null.</summary>
    public ReadOnlySpan<byte> Key { get; }

    /// <summary>The value; empty when <see cref="IsValueNull"/>.</summary>
    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    /// <summary>The key decoded as a string. Allocates: for display and tests, not the read path.</summary>
    public string KeyAsString() => System.Text.Encoding.UTF8.GetString(Key);
}
