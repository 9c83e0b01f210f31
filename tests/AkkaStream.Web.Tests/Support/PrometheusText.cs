using System.Globalization;
using System.Text;

namespace AkkaStream.Web.Tests.Support;

/// <summary>
/// A scrape of <c>/metrics</c> parsed from Prometheus's text exposition format (version 0.0.4):
/// one sample per line, <c>name{label="value",…} number</c>, comments and blank lines skipped.
/// </summary>
public sealed class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    private PrometheusText(IReadOnlyList<Sample> samples, string text)
    {
        Samples = samples;
        Text = text;
    }

    public IReadOnlyList<Sample> Samples { get; }

    public string Text { get; }

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http)
    {
        var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            samples.Add(ParseSample(line));
        }
        return new PrometheusText(samples, text);
    }

    /// <summary>The samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Matching(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    /// <summary>The sum of the matching samples; 0 when there are none (a counter not yet touched).</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

    /// <summary>Whether a sample of that name and labels exists.</summary>
    public bool Has(string name, params (string Name, string Value)[] labels) => Matching(name, labels).Any();

    private static Sample ParseSample(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var brace = line.IndexOf('{');
        var space = line.LastIndexOf(' ');
        string name;
        if (brace >= 0 && brace < space)
        {
            name = line[..brace];
            var close = ParseLabels(line, brace + 1, labels);
            space = line.IndexOf(' ', close);
        }
        else
        {
            name = line[..space];
        }
        var value = line[(space + 1)..].Trim().Split(' ')[0];
        return new Sample(name, labels, ParseValue(value));
    }

    /// <summary>Reads <c>a="x",b="y"}</c> from <paramref name="at"/>; returns the index after the closing brace.</summary>
    private static int ParseLabels(string line, int at, Dictionary<string, string> labels)
    {
        var i = at;
        while (line[i] != '}')
        {
            var equals = line.IndexOf('=', i);
            var label = line[i..equals].Trim(' ', ',');
            i = equals + 2; // past ="
            var value = new StringBuilder();
            while (line[i] != '"')
            {
                if (line[i] == '\\')
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
                i++;
            }
            labels[label] = value.ToString();
            i++; // past the closing quote
            if (line[i] == ',') i++;
        }
        return i + 1;
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
