namespace AkkaStream.Fault.Workload;

/// <summary>The client settings of tests that kill brokers under an acks=all producer.</summary>
public static class FaultClientConfig
{
    /// <summary>
    /// Short request timeouts, so a request lost with a killed broker is retried within seconds;
    /// a delivery timeout longer than any outage the tests cause; one batch in flight per
    /// partition, so that records are stored in the order they were produced.
    /// </summary>
    public const string Hocon = """
        akkastream.client {
          request-timeout = 5s
          retry-backoff = 100ms
          retry-backoff-max = 500ms
          metadata-max-age = 5s
          producer { acks = all, delivery-timeout = 150s, max-in-flight-per-partition = 1 }
        }
        """;
}
