using AkkaStream.Fault.Faults;
using AkkaStream.Fault.Workload;

namespace AkkaStream.Fault.Checks;

/// <summary>The figures of one fault run, printed whether it passed or not. Read it once the workload has stopped.</summary>
public sealed record FaultReport(
    IReadOnlyList<InjectedFault> Faults,
    long Produced,
    AckLog Acks,
    DeliveryResult Delivery,
    IReadOnlyDictionary<int, TimeSpan> LongestWithoutLeader,
    IReadOnlyList<ReplicaComparison> Replicas)
{
    public IEnumerable<string> Lines()
    {
        yield return $"faults injected: {Faults.Count}";
        foreach (var fault in Faults)
        {
            yield return $"  {fault.AtUtc:HH:mm:ss.f} {fault.Fault}: {fault.Outcome}";
        }
        var failures = Acks.Failures;
        yield return $"records produced: {Produced}, acknowledged: {Delivery.Acknowledged}, failed: {failures.Values.Sum()}" +
            (failures.Count == 0 ? "" : $" ({string.Join(", ", failures.Select(f => $"{f.Key} {f.Value}"))})");
        yield return $"records consumed below the high watermarks: {Delivery.Consumed}";
        yield return $"lost: {Delivery.Lost}, duplicated: {Delivery.Duplicated}, at another offset: {Delivery.Misplaced}, out of order: {Delivery.OutOfOrder}";
        foreach (var problem in Delivery.Problems)
        {
            yield return $"  {problem}";
        }
        var longest = LongestWithoutLeader.MaxBy(l => l.Value);
        yield return $"longest time a partition had no leader taking acks=all writes: {longest.Value.TotalSeconds:F1} s (partition {longest.Key}); per partition: " +
            string.Join(", ", LongestWithoutLeader.OrderBy(l => l.Key).Select(l => $"{l.Key}: {l.Value.TotalSeconds:F1} s"));
        yield return $"replicas identical below the high watermark: {Replicas.Count(r => r.Identical)} of {Replicas.Count} partitions";
        foreach (var replica in Replicas)
        {
            yield return $"  {(replica.Identical ? "same" : "DIFFERENT")} {replica.Describe()}";
        }
    }
}
