using Prometheus;

namespace AkkaStream.Broker.Metrics;

/// <summary>
/// One broker's Prometheus metrics: a registry of its own rather than the process-wide default, so
/// that several brokers in one process (as in the tests) each report only their own figures. The
/// HTTP listener exports it at <c>/metrics</c>. Counters and histograms are recorded on the paths
/// that cause them (leaders' appends, fetches, requests, ISR changes, journal writes); gauges that
/// describe state are computed when scraped (<see cref="BrokerStateGauges"/>). Every metric is
/// listed in <c>docs/METRICS.md</c>. Thread-safe, as prometheus-net's collectors are.
/// </summary>
public sealed class BrokerMetrics
{
    public BrokerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        // The process's own figures (CPU, memory, GC, threads) beside the broker's.
        DotNetStats.Register(Registry);
        Topics = new TopicMetrics(Factory);
        KafkaRequests = new RequestMetrics(Factory, "akkastream_kafka_request", "api", "the Kafka listener");
        GatewayRequests = new RequestMetrics(Factory, "akkastream_gateway_request", "request",
            "the gateway (actor-protocol clients and the Kafka listener's handlers alike)");
        Replication = new ReplicationMetrics(Factory);
        Journal = new JournalMetrics(Factory);
        ActiveController = Factory.CreateGauge("akkastream_active_controller",
            "1 on the broker where the controller singleton runs, 0 elsewhere (kafka.controller:type=KafkaController,name=ActiveControllerCount).");
    }

    /// <summary>
    /// Where actors built without a broker's metrics (in unit tests) record: a registry of its own
    /// that nothing exports.
    /// </summary>
    public static BrokerMetrics Unexported => LazyUnexported.Value;

    private static readonly Lazy<BrokerMetrics> LazyUnexported = new(() => new BrokerMetrics());

    public CollectorRegistry Registry { get; }

    /// <summary>Creates the broker's collectors, in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    /// <summary>Bytes and messages in, bytes out, per topic.</summary>
    public TopicMetrics Topics { get; }

    /// <summary>Requests of the Kafka listener, by Kafka API (<c>api="Produce"</c>, <c>"Fetch"</c>, …).</summary>
    public RequestMetrics KafkaRequests { get; }

    /// <summary>Requests through the gateway, by actor-protocol request type (<c>request="Produce"</c>, …).</summary>
    public RequestMetrics GatewayRequests { get; }

    public ReplicationMetrics Replication { get; }

    public JournalMetrics Journal { get; }

    /// <summary>Raised by the controller actor while it runs on this broker.</summary>
    public Gauge ActiveController { get; }
}
