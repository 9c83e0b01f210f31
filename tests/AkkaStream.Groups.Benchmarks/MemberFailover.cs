using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Configuration;
using AkkaStream.Client;
using AkkaStream.Client.Groups;
using AkkaStream.Records.Ids;

namespace AkkaStream.Groups.Benchmarks;

/// <summary>
/// The time from a group member's death to the rest of the group consuming its partitions again.
/// Three group consumers, each in its own client ActorSystem as separate applications would be,
/// share a topic a producer keeps writing to; one is killed (its ActorSystem terminated: no leave,
/// no commit), and the clock runs until every partition it owned has delivered a record to a
/// survivor. The coordinator notices only when the session times out, so the figure is read against it.
/// </summary>
public sealed class MemberFailover(string bootstrap, string topic, int partitions, TimeSpan sessionTimeout) : IAsyncDisposable
{
    private const string GroupId = "failover-bench";
    private readonly List<Member> _members = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>A consumer, its client, and when it last received a record from each partition (clock ticks).</summary>
    private sealed record Member(AkkaStreamClient Client, AkkaStreamGroupConsumer Consumer, ConcurrentDictionary<int, long> LastReceived, Task Polling, CancellationTokenSource Stop);

    public async Task StartAsync(int members)
    {
        for (var i = 0; i < members; i++) _members.Add(StartMember());
        await WaitBalancedAsync(members);
    }

    /// <summary>Kills one member and returns how long until its partitions are consumed by the others.</summary>
    public async Task<TimeSpan> KillOneAsync()
    {
        var victim = _members[^1];
        var orphaned = (await victim.Consumer.MembershipAsync()).Partitions.Select(tp => tp.Partition).ToArray();
        _members.RemoveAt(_members.Count - 1);
        var killedAt = _clock.Elapsed;
        await victim.Stop.CancelAsync();
        await victim.Client.System.Terminate();
        var deadline = killedAt + sessionTimeout + TimeSpan.FromSeconds(60);
        while (_clock.Elapsed < deadline)
        {
            if (orphaned.All(p => _members.Any(m => m.LastReceived.TryGetValue(p, out var at) && TimeSpan.FromTicks(at) > killedAt)))
            {
                // Checked every 20 ms, so this is when the last orphaned partition delivered, within 20 ms.
                var resumedAt = _clock.Elapsed;
                // Start a replacement, so the next kill again starts from a whole group.
                _members.Add(StartMember());
                await WaitBalancedAsync(_members.Count);
                return resumedAt - killedAt;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"partitions {string.Join(',', orphaned)} were not consumed again within {deadline - killedAt}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.Stop.CancelAsync();
            await member.Polling.ContinueWith(_ => { }, TaskScheduler.Default);
            await member.Consumer.DisposeAsync();
            await member.Client.DisposeAsync();
        }
    }

    private Member StartMember()
    {
        var client = AkkaStreamClient.Create(ConfigurationFactory.ParseString($$"""
            akka.loglevel = ERROR
            akkastream.client {
              bootstrap-servers = ["{{bootstrap}}"]
              consumer {
                auto-offset-reset = latest
                session-timeout = {{(int)sessionTimeout.TotalMilliseconds}}ms
                heartbeat-interval = {{(int)HeartbeatInterval(sessionTimeout).TotalMilliseconds}}ms
                partition-assignment-strategy = ["cooperative-sticky"]
              }
            }
            """));
        var consumer = client.CreateGroupConsumer(GroupId);
        consumer.Subscribe([topic]);
        var received = new ConcurrentDictionary<int, long>();
        var stop = new CancellationTokenSource();
        var polling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var record in await consumer.PollAsync(TimeSpan.FromMilliseconds(100), stop.Token))
                {
                    received[record.Partition] = _clock.Elapsed.Ticks;
                }
            }
        });
        return new Member(client, consumer, received, polling, stop);
    }

    private async Task WaitBalancedAsync(int members)
    {
        var deadline = _clock.Elapsed + TimeSpan.FromSeconds(120);
        while (_clock.Elapsed < deadline)
        {
            // The actors' own view, not the consumers' Assignment, which their polling loops update meanwhile.
            var views = await Task.WhenAll(_members.Select(m => m.Consumer.MembershipAsync()));
            var owned = views.SelectMany(v => v.Partitions).ToList();
            if (_members.Count == members && owned.Count == partitions && owned.Distinct().Count() == partitions
                && views.All(v => v.Partitions.Count == partitions / members && v.GenerationId == views[0].GenerationId))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the group of {members} did not settle on {partitions} partitions within 120 s");
    }

    /// <summary>
    /// The heartbeat interval in the same proportion to the session timeout as Kafka's consumer
    /// defaults (3 s to 45 s): survivors learn of the rebalance on their next heartbeat, so the
    /// interval is part of what is timed.
    /// </summary>
    public static TimeSpan HeartbeatInterval(TimeSpan sessionTimeout) => sessionTimeout * 3 / 45;

    /// <summary>The partitions of the topic, for the producer that keeps every one of them moving.</summary>
    public IReadOnlyList<TopicPartition> Partitions => Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToArray();
}
