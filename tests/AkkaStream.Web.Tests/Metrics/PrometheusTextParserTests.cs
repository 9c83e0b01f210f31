using AkkaStream.Web.Tests.Support;

namespace AkkaStream.Web.Tests.Metrics;

/// <summary>The metric tests' reader of Prometheus's text format: names, labels (with escapes), values, and what it skips.</summary>
public sealed class PrometheusTextParserTests
{
    private const string Exposition = """
        # HELP akkastream_topic_bytes_in_total Bytes appended.
        # TYPE akkastream_topic_bytes_in_total counter
        akkastream_topic_bytes_in_total{topic="orders"} 1200
        akkastream_topic_bytes_in_total{topic="quo\"ted,name"} 34.5
        akkastream_kafka_request_duration_seconds_sum{api="Produce"} 0.25 1700000000000
        akkastream_kafka_request_duration_seconds_count{api="Produce"} 10
        process_open_handles 17
        broken_line{topic="orders" 5
        no_value{topic="x"}
        """;

    [Fact]
    public void Samples_are_read_with_their_labels_and_values_and_malformed_lines_are_skipped()
    {
        var samples = PrometheusTextParser.Parse(Exposition);

        Assert.Equal(
            ["akkastream_topic_bytes_in_total", "akkastream_topic_bytes_in_total", "akkastream_kafka_request_duration_seconds_sum",
                "akkastream_kafka_request_duration_seconds_count", "process_open_handles"],
            samples.Select(s => s.Name));
        Assert.Equal("quo\"ted,name", samples[1].Labels["topic"]);
        Assert.Equal(34.5, samples[1].Value);
        // A trailing timestamp is not the value.
        Assert.Equal(0.25, samples[2].Value);
        Assert.Empty(samples[4].Labels);
    }

    [Fact]
    public void Only_the_named_series_are_kept_when_names_are_given()
    {
        var samples = PrometheusTextParser.Parse(Exposition, new HashSet<string> { "akkastream_topic_bytes_in_total" });
        Assert.Equal([1200, 34.5], samples.Select(s => s.Value));
    }
}
