using Akka.Configuration;
using Akka.Configuration.Hocon;
using AkkaStream.Broker.Topics;

namespace AkkaStream.Broker.Configuration;

/// <summary>
/// Refuses settings under <c>akkastream</c> that the broker does not know (a misspelt key would
/// otherwise be ignored, leaving its default in force) and values of the wrong shape (a section
/// where a value belongs, or the reverse). The known keys are those of the embedded
/// <c>reference.conf</c>, except <c>topic-defaults</c>, whose keys are the topic settings' Kafka
/// names with dots written as dashes. No broker section is a map by design, so every one is
/// closed; <c>akkastream.client</c> belongs to the client library (a process may host both, in one
/// configuration), which reads and checks it itself, so it is left alone.
/// Thread-safe (stateless).
/// </summary>
public static class KnownSettings
{
    private const string TopicDefaults = BrokerSettings.Root + ".topic-defaults";

    private const string ClientSection = BrokerSettings.Root + ".client";

    private static readonly Lazy<HashSet<string>> Paths = new(() => [.. KnownPaths()]);

    /// <summary>Every known path under <c>akkastream</c>, sections and values.</summary>
    public static IReadOnlyCollection<string> All => Paths.Value;

    /// <summary>Checks one layer as it was written (a file, or the overrides), before any fallback.</summary>
    /// <exception cref="BrokerConfigException">The first unknown key or misshapen value, with a suggestion for a near miss.</exception>
    public static void Check(Config layer)
    {
        if (layer.IsEmpty || layer.Root is not { } root || !root.IsObject()) return;
        if (!root.GetObject().Items.TryGetValue(BrokerSettings.Root, out var section)) return;
        CheckValue(BrokerSettings.Root, section);
    }

    /// <summary>The known path nearest to <paramref name="path"/> when it is a likely misspelling; null otherwise.</summary>
    public static string? Suggest(string path)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var known in Paths.Value)
        {
            var distance = EditDistance(path, known);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (known, distance);
            }
        }
        // A few typos, or a dotted topic setting name written where dashes belong.
        var tolerance = Math.Max(2, path.Length / 8);
        return bestDistance <= tolerance ? best : null;
    }

    private static void CheckValue(string path, HoconValue value)
    {
        if (path == ClientSection) return;
        var isSection = IsSection(path);
        if (isSection != value.IsObject() || (!isSection && value.IsArray()))
        {
            throw new BrokerConfigException(path, isSection
                ? $"expected a section {{ ... }} of settings, found {Describe(value)}"
                : $"expected a single value, found {Describe(value)}");
        }
        if (!isSection) return;
        foreach (var (key, child) in value.GetObject().Items)
        {
            var childPath = path + "." + key;
            if (!Paths.Value.Contains(childPath))
            {
                var suggestion = Suggest(childPath);
                throw new BrokerConfigException(childPath, "is not a setting the broker knows"
                    + (suggestion is null ? $" (the settings are listed in hocon/reference.conf)" : $"; did you mean {suggestion}?"));
            }
            CheckValue(childPath, child);
        }
    }

    private static bool IsSection(string path) => Sections.Value.Contains(path);

    private static readonly Lazy<HashSet<string>> Sections = new(() =>
    {
        var sections = new HashSet<string>(StringComparer.Ordinal) { BrokerSettings.Root, TopicDefaults };
        Walk(BrokerSettings.Root, ReferenceSection(), (path, value) =>
        {
            if (value.IsObject()) sections.Add(path);
        });
        return sections;
    });

    private static IEnumerable<string> KnownPaths()
    {
        var paths = new List<string> { TopicDefaults, ClientSection };
        Walk(BrokerSettings.Root, ReferenceSection(), (path, _) =>
        {
            if (!path.StartsWith(TopicDefaults + ".", StringComparison.Ordinal)) paths.Add(path);
        });
        paths.AddRange(TopicConfigParser.Names.Select(name => $"{TopicDefaults}.{name.Replace('.', '-')}"));
        return paths;
    }

    private static HoconValue ReferenceSection() => BrokerConfig.Reference.Root.GetObject().Items[BrokerSettings.Root];

    private static void Walk(string path, HoconValue section, Action<string, HoconValue> visit)
    {
        foreach (var (key, child) in section.GetObject().Items)
        {
            var childPath = path + "." + key;
            visit(childPath, child);
            if (child.IsObject()) Walk(childPath, child, visit);
        }
    }

    private static string Describe(HoconValue value) =>
        value.IsObject() ? "a section { ... }" : value.IsArray() ? "a list [ ... ]" : $"'{value.GetString()}'";

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
