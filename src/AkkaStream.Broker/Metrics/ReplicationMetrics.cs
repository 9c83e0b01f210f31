using Prometheus;

namespace AkkaStream.Broker.Metrics;

/// <summary>ISR changes made by this broker's partition leaders, counted once the controller accepted them. Thread-safe.</summary>
public sealed class ReplicationMetrics
{
    internal ReplicationMetrics(IMetricFactory factory)
    {
        IsrShrinks = factory.CreateCounter("akkastream_isr_shrinks_total",
            "ISR shrinks of partitions this broker leads: a follower fell behind replica-lag-time-max, or the controller removed a lost broker (kafka.server:type=ReplicaManager,name=IsrShrinksPerSec).");
        IsrExpands = factory.CreateCounter("akkastream_isr_expands_total",
            "ISR expansions accepted by the controller for partitions this broker leads: a follower caught up (kafka.server:type=ReplicaManager,name=IsrExpandsPerSec).");
    }

    public Counter IsrShrinks { get; }

    public Counter IsrExpands { get; }

    /// <summary>Counts an accepted ISR change from <paramref name="before"/> to <paramref name="after"/> members.</summary>
    public void IsrChanged(int before, int after)
    {
        if (after < before) IsrShrinks.Inc();
        else if (after > before) IsrExpands.Inc();
    }
}
