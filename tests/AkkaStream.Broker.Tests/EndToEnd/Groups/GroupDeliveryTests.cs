using System.Collections.Concurrent;
using System.Text;
using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.EndToEnd.Groups;

/// <summary>
/// Exactly what a group consumed while its members came, left and crashed: members commit after
/// processing each batch (and before giving partitions up), so every record is processed at least
/// once, and a record is processed twice only when a member crashed after processing it and before
/// committing it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupDeliveryTests(ITestOutputHelper output) : GroupBrokerTest
{
    private const int Records = 3_000;
    private const string Topic = "numbered";
    private readonly ConcurrentQueue<GroupMemberRunner.Processed> _processed = new();
    private readonly ConcurrentQueue<GroupMemberRunner.Committed> _commits = new();

    private GroupMemberRunner Join(string name, string strategy) =>
        Track(GroupMemberRunner.Start(name, [Node], "delivery", Topic, _processed, _commits,
            GroupNodes.ClientConfig(strategy, TimeSpan.FromSeconds(3), "akkastream.client.consumer.enable-auto-commit = off")));

    /// <summary>Per partition, the offsets written but never processed, as ranges.</summary>
    private string Gaps(IReadOnlyDictionary<TopicPartition, long> written) => string.Join("; ", written.OrderBy(w => w.Key.Partition).Select(w =>
    {
        var seen = _processed.Where(p => p.Partition == w.Key).Select(p => p.Offset).ToHashSet();
        var missing = Enumerable.Range(0, (int)w.Value).Where(o => !seen.Contains(o)).ToList();
        if (missing.Count == 0) return $"{w.Key}: none";
        string By(long offset) => string.Join("+", _processed.Where(p => p.Partition == w.Key && p.Offset == offset).Select(p => p.Member));
        var commits = string.Join(",", _commits.Where(c => c.Partition == w.Key && c.Offset >= missing[0] - 10 && c.Offset <= missing[^1] + 10)
            .Select(c => $"{c.Member}@{c.Offset}"));
        return $"{w.Key}: {missing.Count} missing from {missing[0]} to {missing[^1]} (before it processed by {By(missing[0] - 1)}, after it by {By(missing[^1] + 1)}; commits near it: {commits})";
    }));

    private string Timeline() => string.Join(" || ", Members.Select(m =>
        $"{m.Name}: {string.Join(" | ", m.Events.Select(e => $"{e.At:HH:mm:ss.fff} {e.Kind} {string.Join(",", e.Partitions.Select(p => p.Partition))}"))}"));

    [Theory]
    [InlineData("range")]
    [InlineData("cooperative-sticky")]
    public async Task Every_record_is_processed_and_only_a_crashedMembers_uncommitted_work_is_processed_twice(string strategy)
    {
        await using var producerClient = ClientFor.Create([Node]);
        Assert.Equal(ErrorCode.None, (await producerClient.Admin.CreateTopicAsync(Topic, partitions: 6, replicationFactor: 1)).Error);
        await using var producer = producerClient.CreateProducer();
        Join("a", strategy);
        var leaving = Join("b", strategy);

        var written = new ConcurrentDictionary<TopicPartition, long>();
        // About five seconds of records, while the group changes under them.
        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < Records; i += 30)
            {
                var batch = Enumerable.Range(i, Math.Min(30, Records - i))
                    .Select(n => producer.ProduceAsync(Topic, Encoding.UTF8.GetBytes($"{n}"), Encoding.UTF8.GetBytes($"{n}")));
                foreach (var report in await Task.WhenAll(batch))
                {
                    written[new TopicPartition(Topic, report.Partition)] = Math.Max(written.GetValueOrDefault(new TopicPartition(Topic, report.Partition)), report.Offset + 1);
                }
                await Task.Delay(50);
            }
        });
        await Eventually.True(() => _processed.Count > 300, TimeSpan.FromSeconds(30), () => $"{_processed.Count} processed");
        var crashing = Join("c", strategy);
        // The member that crashes commits less often, so that it dies with work processed but not committed.
        crashing.CommitEveryBatches = 4;
        await Eventually.True(() => crashing.Assignment.Count > 0, TimeSpan.FromSeconds(30), () => "c has no partitions");
        Members.Remove(leaving);
        await leaving.DisposeAsync();
        Join("d", strategy);
        await Eventually.True(() => _processed.Any(p => p.Member == "c") && _processed.Count > 1_500, TimeSpan.FromSeconds(30),
            () => $"{_processed.Count} processed, {_processed.Count(p => p.Member == "c")} by c");
        await crashing.KillAsync();
        await producing.WaitAsync(TimeSpan.FromSeconds(60));

        var expected = Enumerable.Range(0, Records).Select(n => $"{n}").ToHashSet();
        await Eventually.True(() => expected.IsSubsetOf(_processed.Select(p => p.Value)), TimeSpan.FromSeconds(60),
            () => $"missing {expected.Except(_processed.Select(p => p.Value)).Count()} of {Records}: {Gaps(written)}; {Timeline()}");

        var lastCommitOfCrashed = _commits.Where(c => c.Member == "c")
            .GroupBy(c => c.Partition).ToDictionary(g => g.Key, g => g.Max(c => c.Offset));
        var duplicates = _processed.GroupBy(p => (p.Partition, p.Offset)).Where(g => g.Count() > 1).ToList();
        output.WriteLine($"{strategy}: {_processed.Count} processings of {Records} records, {duplicates.Count} processed twice; " +
            $"c's last commits: {string.Join(", ", lastCommitOfCrashed.Select(kv => $"{kv.Key}@{kv.Value}"))}");
        foreach (var duplicate in duplicates)
        {
            var (partition, offset) = duplicate.Key;
            var by = duplicate.Select(p => p.Member).ToList();
            Assert.True(by.Count == 2 && by.Contains("c") && offset >= lastCommitOfCrashed.GetValueOrDefault(partition, -1),
                $"{partition}@{offset} processed by {string.Join(", ", by)}; c last committed {lastCommitOfCrashed.GetValueOrDefault(partition, -1)} there");
        }
        foreach (var member in Members.Where(m => m != crashing))
        {
            Assert.DoesNotContain(member.Events, e => e.Kind == "lost");
        }
    }
}
