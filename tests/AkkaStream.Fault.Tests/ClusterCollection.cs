namespace AkkaStream.Fault.Tests;

/// <summary>Tests that start whole brokers run one at a time: on two cores, parallel clusters starve each other's heartbeats.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "brokers";
}
