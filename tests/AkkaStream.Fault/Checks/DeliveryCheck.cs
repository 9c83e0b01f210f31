using AkkaStream.Client;
using AkkaStream.Client.Configuration;
using AkkaStream.Fault.Workload;
using AkkaStream.Records.Ids;

namespace AkkaStream.Fault.Checks;

/// <summary>What consuming a topic back showed about the records the producers had acknowledged.</summary>
/// <param name="Lost">Acknowledged records not in the log.</param>
/// <param name="Duplicated">Extra copies of records in the log (a record stored twice counts once).</param>
/// <param name="Misplaced">Acknowledged records found at another offset than the acknowledgement named.</param>
/// <param name="OutOfOrder">Acknowledged records stored before one the producer sent earlier in the same partition.</param>
/// <param name="Problems">The first few of each, described.</param>
public sealed record DeliveryResult(long Acknowledged, long Consumed, long Lost, long Duplicated, long Misplaced, long OutOfOrder, IReadOnlyList<string> Problems);

/// <summary>Consumes every partition from its start to its high watermark and holds it against the <see cref="AckLog"/>. Stateless.</summary>
public static class DeliveryCheck
{
    private const int MaxProblemsShown = 10;

    /// <summary>Each partition's high watermark (its end offset as a consumer sees it), for <see cref="ConsumeAllAsync"/>.</summary>
    public static async Task<IReadOnlyDictionary<int, long>> HighWatermarksAsync(AkkaStreamClient client, string topic, int partitions)
    {
        await using var consumer = client.CreateConsumer();
        var ends = await consumer.EndOffsetsAsync([.. Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p))]).ConfigureAwait(false);
        return ends.ToDictionary(e => e.Key.Partition, e => e.Value);
    }

    /// <summary>Reads every record below each partition's high watermark (as <paramref name="highWatermarks"/> gives it).</summary>
    public static async Task<IReadOnlyDictionary<int, List<(long Offset, byte[]? Value)>>> ConsumeAllAsync(
        AkkaStreamClient client, string topic, IReadOnlyDictionary<int, long> highWatermarks, TimeSpan within)
    {
        var partitions = highWatermarks.Keys.Select(p => new TopicPartition(topic, p)).ToList();
        var records = highWatermarks.Keys.ToDictionary(p => p, _ => new List<(long, byte[]?)>());
        await using var consumer = client.CreateConsumer(client.Settings.Consumer with { AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign(partitions);
        consumer.SeekToBeginning(partitions);
        var deadline = DateTime.UtcNow + within;
        var next = highWatermarks.Keys.ToDictionary(p => p, _ => -1L);
        while (highWatermarks.Any(hw => next[hw.Key] + 1 < hw.Value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("consuming did not reach the high watermarks: " +
                    string.Join(", ", highWatermarks.Select(hw => $"partition {hw.Key} at {next[hw.Key] + 1} of {hw.Value}")));
            }
            foreach (var record in await consumer.PollAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false))
            {
                if (record.Offset < highWatermarks[record.Partition] && record.Offset > next[record.Partition])
                {
                    records[record.Partition].Add((record.Offset, record.Value));
                    next[record.Partition] = record.Offset;
                }
            }
        }
        return records.ToDictionary(r => r.Key, r => r.Value);
    }

    public static DeliveryResult Check(AckLog acks, IReadOnlyDictionary<int, List<(long Offset, byte[]? Value)>> consumed)
    {
        var problems = new List<string>();
        long acknowledged = 0, lost = 0, duplicated = 0, misplaced = 0, outOfOrder = 0, total = 0;
        foreach (var (partition, records) in consumed.OrderBy(c => c.Key))
        {
            total += records.Count;
            // Where each value of this partition's producer was stored, every copy.
            var stored = new Dictionary<long, List<long>>();
            foreach (var (offset, value) in records)
            {
                if (ProducerWorkload.Parse(value) is not { } id || id.Partition != partition)
                {
                    Note(problems, $"partition {partition} offset {offset}: a value this workload never produced");
                    continue;
                }
                if (!stored.TryGetValue(id.Sequence, out var copies)) stored[id.Sequence] = copies = [];
                copies.Add(offset);
            }
            var twice = stored.Where(s => s.Value.Count > 1).OrderBy(s => s.Key).ToList();
            duplicated += twice.Sum(s => s.Value.Count - 1L);
            foreach (var run in Runs(twice))
            {
                Note(problems, DescribeDuplicates(partition, run));
            }
            var previous = -1L;
            foreach (var ack in acks.For(partition))
            {
                acknowledged++;
                if (!stored.TryGetValue(ack.Sequence, out var copies))
                {
                    lost++;
                    Note(problems, $"partition {partition}: {ProducerWorkload.ValueOf(partition, ack.Sequence)} acknowledged at offset {ack.Offset} is missing");
                    continue;
                }
                if (!copies.Contains(ack.Offset))
                {
                    misplaced++;
                    Note(problems, $"partition {partition}: {ProducerWorkload.ValueOf(partition, ack.Sequence)} acknowledged at offset {ack.Offset} is at {string.Join(",", copies)}");
                }
                if (copies[0] <= previous)
                {
                    outOfOrder++;
                    Note(problems, $"partition {partition}: {ProducerWorkload.ValueOf(partition, ack.Sequence)} at offset {copies[0]} comes before an earlier record at {previous}");
                }
                previous = Math.Max(previous, copies[0]);
            }
        }
        return new DeliveryResult(acknowledged, total, lost, duplicated, misplaced, outOfOrder, problems);
    }

    /// <summary>Consecutive sequence numbers stored the same number of times (one retried batch, usually).</summary>
    private static IEnumerable<List<KeyValuePair<long, List<long>>>> Runs(List<KeyValuePair<long, List<long>>> duplicates)
    {
        var run = new List<KeyValuePair<long, List<long>>>();
        foreach (var item in duplicates)
        {
            if (run.Count > 0 && (item.Key != run[^1].Key + 1 || item.Value.Count != run[^1].Value.Count))
            {
                yield return run;
                run = [];
            }
            run.Add(item);
        }
        if (run.Count > 0) yield return run;
    }

    private static string DescribeDuplicates(int partition, List<KeyValuePair<long, List<long>>> run)
    {
        var (first, last) = (run[0], run[^1]);
        var copies = first.Value.Select((offset, i) => $"{offset}..{last.Value[i]}");
        return $"partition {partition}: {ProducerWorkload.ValueOf(partition, first.Key)}..{ProducerWorkload.ValueOf(partition, last.Key)} " +
            $"({run.Count} records) stored {first.Value.Count} times, at offsets {string.Join(" and ", copies)}";
    }

    private static void Note(List<string> problems, string problem)
    {
        if (problems.Count < MaxProblemsShown) problems.Add(problem);
    }
}
