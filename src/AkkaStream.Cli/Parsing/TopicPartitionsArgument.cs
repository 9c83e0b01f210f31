using System.Globalization;

namespace AkkaStream.Cli.Parsing;

/// <summary>
/// A topic, optionally with some of its partitions, as Kafka's <c>kafka-consumer-groups --topic</c>
/// takes it: <c>orders</c> (every partition) or <c>orders:0,2</c>. Immutable.
/// </summary>
public sealed record TopicPartitionsArgument(string Topic, IReadOnlyList<int>? Partitions)
{
    public static bool TryParse(string text, out TopicPartitionsArgument? result, out string? error)
    {
        result = null;
        var colon = text.LastIndexOf(':');
        var topic = colon < 0 ? text.Trim() : text[..colon].Trim();
        if (topic.Length == 0)
        {
            error = $"'{text}' names no topic";
            return false;
        }
        if (colon < 0)
        {
            result = new TopicPartitionsArgument(topic, null);
            error = null;
            return true;
        }
        var partitions = new List<int>();
        foreach (var part in text[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                error = $"'{text}' must be topic or topic:partition,partition,… with whole-number partitions";
                return false;
            }
            partitions.Add(p);
        }
        result = new TopicPartitionsArgument(topic, partitions);
        error = null;
        return true;
    }
}
