using Sample = AkkaStream.Web.Tests.Support.PrometheusTextParser.Sample;

namespace AkkaStream.Web.Tests.Support;

/// <summary>
/// A scrape of <c>/metrics</c>, parsed by <see cref="PrometheusTextParser"/>,
/// with the lookups the metric tests need.
/// </summary>
public sealed class PrometheusText
{
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

    public static PrometheusText Parse(string text) => new(PrometheusTextParser.Parse(text), text);

    /// <summary>The samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Matching(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    /// <summary>The sum of the matching samples; 0 when there are none (a counter not yet touched).</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

    /// <summary>Whether a sample of that name and labels exists.</summary>
    public bool Has(string name, params (string Name, string Value)[] labels) => Matching(name, labels).Any();
}
