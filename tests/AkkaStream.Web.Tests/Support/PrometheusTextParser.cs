using System.Globalization;

namespace AkkaStream.Web.Tests.Support;

/// <summary>
/// Reads samples out of Prometheus's text exposition format (what <c>/metrics</c> serves): one
/// <c>name{label="value",...} number</c> per line, comments skipped. The metric tests read every
/// figure through the real endpoint with it, as an operator's Prometheus would scrape them.
/// Stateless, so thread-safe.
/// </summary>
public static class PrometheusTextParser
{
    /// <summary>One sample: its series name, its labels, and its value.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>The samples of <paramref name="text"/> whose name is one of <paramref name="names"/> (every sample when null); malformed lines are skipped.</summary>
    public static IReadOnlyList<Sample> Parse(string text, IReadOnlySet<string>? names = null)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (nameEnd <= 0 || names is not null && !names.Contains(line[..nameEnd])) continue;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var rest = nameEnd;
            if (line[nameEnd] == '{' && !TryReadLabels(line, nameEnd + 1, labels, out rest)) continue;
            var fields = line[rest..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || !TryParseValue(fields[0], out var value)) continue;
            samples.Add(new Sample(line[..nameEnd], labels, value));
        }
        return samples;
    }

    /// <summary>A sample's value: a number, or the format's <c>+Inf</c>, <c>-Inf</c> and <c>NaN</c>.</summary>
    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf": value = double.PositiveInfinity; return true;
            case "-Inf": value = double.NegativeInfinity; return true;
            case "NaN": value = double.NaN; return true;
            default: return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    /// <summary>Reads <c>key="value",...}</c> from <paramref name="at"/>; <paramref name="end"/> is just past the brace.</summary>
    private static bool TryReadLabels(string line, int at, Dictionary<string, string> labels, out int end)
    {
        end = at;
        while (at < line.Length && line[at] != '}')
        {
            var equals = line.IndexOf('=', at);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"') return false;
            var key = line[at..equals].Trim(',', ' ');
            var value = new System.Text.StringBuilder();
            var i = equals + 2;
            for (; i < line.Length && line[i] != '"'; i++)
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
            }
            if (i >= line.Length) return false;
            labels[key] = value.ToString();
            at = i + 1;
            if (at < line.Length && line[at] == ',') at++;
        }
        if (at >= line.Length) return false;
        end = at + 1;
        return true;
    }
}
