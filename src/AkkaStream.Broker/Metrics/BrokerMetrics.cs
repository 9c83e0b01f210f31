using Prometheus;

namespace AkkaStream.Broker.Metrics;

/// <summary>
/// One broker's Prometheus metrics: a registry of its own rather than the process-wide default, so
/// that several brokers in one process (as in the tests) each report only their own figures. The
/// HTTP listener exports it at <c>/metrics</c>; the broker's actors and the Kafka listener record
/// into it. Thread-safe, as prometheus-net's collectors are.
/// </summary>
public sealed class BrokerMetrics
{
    public BrokerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        // The process's own figures (CPU, memory, GC, threads) beside the broker's.
        DotNetStats.Register(Registry);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Creates the broker's collectors, in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }
}
