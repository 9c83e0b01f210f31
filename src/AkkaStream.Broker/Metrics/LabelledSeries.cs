using Prometheus;

namespace AkkaStream.Broker.Metrics;

/// <summary>
/// Gauges whose label sets follow the broker's state (a log per partition, a lag per group's
/// partition): after a scrape set the current ones, the series of partitions or groups that are
/// gone (deleted, moved away) are removed rather than left at their last value. Used from one
/// scrape at a time.
/// </summary>
internal sealed class LabelledSeries(params Gauge[] gauges)
{
    private readonly object _gate = new();

    /// <summary>Removes from every gauge the label sets not in <paramref name="current"/>.</summary>
    public void KeepOnly(IEnumerable<string[]> current)
    {
        var keep = new HashSet<string>(current.Select(Key), StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var gauge in gauges)
            {
                foreach (var labels in gauge.GetAllLabelValues().ToList())
                {
                    if (!keep.Contains(Key(labels))) gauge.RemoveLabelled(labels);
                }
            }
        }
    }

    private static string Key(string[] labels) => string.Join('\u0001', labels);
}
