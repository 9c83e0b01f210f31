using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Groups.Assignors;

/// <summary>The assignors the client knows, by the names of Kafka's partition.assignment.strategy.</summary>
public static class PartitionAssignors
{
    public static IPartitionAssignor ByName(string name) => name.Trim().ToLowerInvariant() switch
    {
        RangeAssignor.AssignorName => new RangeAssignor(),
        RoundRobinAssignor.AssignorName => new RoundRobinAssignor(),
        CooperativeStickyAssignor.AssignorName => new CooperativeStickyAssignor(),
        _ => throw new AkkaStreamException(ErrorCode.InvalidConfig,
            $"unknown partition assignment strategy '{name}': use range, roundrobin or cooperative-sticky"),
    };

    /// <summary>
    /// The rebalance protocol of a consumer configured with <paramref name="assignors"/>: cooperative
    /// only when every one of them supports it (as Kafka decides), since the group may choose any.
    /// </summary>
    public static RebalanceProtocol CommonProtocol(IReadOnlyList<IPartitionAssignor> assignors) =>
        assignors.All(a => a.Protocol == RebalanceProtocol.Cooperative) ? RebalanceProtocol.Cooperative : RebalanceProtocol.Eager;
}
