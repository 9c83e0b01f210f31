using System.Text.RegularExpressions;
using AkkaStream.Client.Metadata;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Groups;

/// <summary>
/// What a group consumer subscribes to: a fixed list of topics, or a pattern matched against the
/// topics the metadata names (Kafka's subscribe(Pattern)). Immutable.
/// </summary>
internal sealed class GroupSubscription
{
    private readonly IReadOnlyList<string>? _topics;
    private readonly Regex? _pattern;

    private GroupSubscription(IReadOnlyList<string>? topics, Regex? pattern)
    {
        _topics = topics;
        _pattern = pattern;
    }

    public static GroupSubscription Of(IReadOnlyList<string> topics)
    {
        if (topics.Any(string.IsNullOrWhiteSpace))
        {
            throw new AkkaStreamException(ErrorCode.InvalidTopicException, "a subscription names an empty topic");
        }
        return new GroupSubscription(topics.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), null);
    }

    public static GroupSubscription Matching(string pattern)
    {
        try
        {
            // Kafka matches the whole topic name.
            return new GroupSubscription(null, new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        }
        catch (ArgumentException e)
        {
            throw new AkkaStreamException(ErrorCode.InvalidRequest, $"'{pattern}' is not a valid regular expression: {e.Message}");
        }
    }

    /// <summary>The topics subscribed now, in ordinal order (for a pattern: those the metadata names).</summary>
    public IReadOnlyList<string> Topics(ClusterSnapshot? snapshot)
    {
        if (_topics is not null)
        {
            return _topics;
        }
        if (snapshot is null)
        {
            return [];
        }
        return snapshot.Response.Topics
            .Select(t => t.Name)
            .Where(name => _pattern!.IsMatch(name))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The partition count of each topic that exists, as <paramref name="snapshot"/> says.</summary>
    public static Dictionary<string, int> PartitionCounts(IEnumerable<string> topics, ClusterSnapshot? snapshot)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            var count = snapshot?.PartitionCount(topic) ?? 0;
            if (count > 0)
            {
                counts[topic] = count;
            }
        }
        return counts;
    }
}
