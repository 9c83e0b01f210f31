using System.Globalization;
using System.Text;
using AkkaStream.Client.Consumer;

namespace AkkaStream.Cli.Formatting;

/// <summary>
/// How <c>consume</c> prints a record on one line: optional timestamp, partition, offset and key
/// before the value, each followed by <c>key.separator</c>, in Kafka's console consumer's order.
/// Keys and values are read as UTF-8; a null one prints as <c>null</c>. Immutable.
/// </summary>
public sealed record RecordFormat(bool PrintTimestamp, bool PrintPartition, bool PrintOffset, bool PrintKey, string KeySeparator)
{
    public static readonly IReadOnlyList<string> Properties = ["print.timestamp", "print.partition", "print.offset", "print.key", "key.separator"];

    public static readonly RecordFormat Default = new(false, false, false, false, ConsoleProperties.DefaultKeySeparator);

    /// <summary>Reads the consumer's <c>--property</c> values; an unknown or malformed one is an error.</summary>
    public static bool TryCreate(IReadOnlyDictionary<string, string> properties, out RecordFormat format, out string error)
    {
        string? problem = ConsoleProperties.Unknown(properties, Properties);
        ConsoleProperties.TryGetFlag(properties, "print.timestamp", out var timestamp, ref problem);
        ConsoleProperties.TryGetFlag(properties, "print.partition", out var partition, ref problem);
        ConsoleProperties.TryGetFlag(properties, "print.offset", out var offset, ref problem);
        ConsoleProperties.TryGetFlag(properties, "print.key", out var key, ref problem);
        ConsoleProperties.TryGetSeparator(properties, out var separator, ref problem);
        format = new RecordFormat(timestamp, partition, offset, key, separator);
        error = problem ?? "";
        return problem is null;
    }

    public string Format(ConsumeRecord record)
    {
        var line = new StringBuilder();
        if (PrintTimestamp)
        {
            line.Append(record.TimestampType).Append(':').Append(record.Timestamp.ToString(CultureInfo.InvariantCulture)).Append(KeySeparator);
        }
        if (PrintPartition)
        {
            line.Append("Partition:").Append(record.Partition.ToString(CultureInfo.InvariantCulture)).Append(KeySeparator);
        }
        if (PrintOffset)
        {
            line.Append("Offset:").Append(record.Offset.ToString(CultureInfo.InvariantCulture)).Append(KeySeparator);
        }
        if (PrintKey)
        {
            line.Append(Text(record.Key)).Append(KeySeparator);
        }
        return line.Append(Text(record.Value)).ToString();
    }

    private static string Text(byte[]? bytes) => bytes is null ? "null" : Encoding.UTF8.GetString(bytes);
}
