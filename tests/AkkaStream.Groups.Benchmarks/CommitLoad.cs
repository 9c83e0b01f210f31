using System.Diagnostics;
using Akka.Actor;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Groups.Benchmarks;

/// <summary>
/// Offset commits against a broker's gateway, as consumers make them: each group gets one member
/// (join, then sync with its assignment) and then <c>committers</c> loops per group commit that
/// member's offsets back to back, each waiting for its answer — which comes only once the commit is
/// in the journal. Every answer is checked; a refused commit fails the run.
/// </summary>
public sealed class CommitLoad(IActorRef gateway, string topic, int partitionsPerCommit)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);

    public sealed record Result(long Requests, TimeSpan Elapsed)
    {
        public double PerSecond => Requests / Elapsed.TotalSeconds;
    }

    /// <summary>A member of a group, ready to commit with its generation.</summary>
    public sealed record Member(string GroupId, string MemberId, int Generation);

    public async Task<Member> JoinAsync(string groupId)
    {
        GroupProtocol[] protocols = [new("range", [])];
        var join = await gateway.Ask<JoinGroupResponse>(
            new JoinGroupRequest(groupId, "", null, "consumer", protocols, 30_000, 60_000, RequireKnownMemberId: false), AskTimeout);
        Check(join.Error, $"join {groupId}");
        var sync = await gateway.Ask<SyncGroupResponse>(
            new SyncGroupRequest(groupId, join.GenerationId, join.MemberId, null, "consumer", join.ProtocolName, new[] { new GroupAssignment(join.MemberId, []) }),
            AskTimeout);
        Check(sync.Error, $"sync {groupId}");
        return new Member(groupId, join.MemberId, join.GenerationId);
    }

    public async Task<Result> RunAsync(IReadOnlyList<Member> members, int committersPerGroup, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var until = duration;
        var loops = members.SelectMany(m => Enumerable.Range(0, committersPerGroup).Select(c => CommitLoopAsync(m, c, clock, until))).ToArray();
        var counts = await Task.WhenAll(loops);
        return new Result(counts.Sum(), clock.Elapsed);
    }

    /// <summary>Keeps the member's session alive while a run lasts longer than its session timeout would allow without.</summary>
    public async Task HeartbeatAsync(Member member, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var beat = await gateway.Ask<HeartbeatResponse>(new HeartbeatRequest(member.GroupId, member.Generation, member.MemberId, null), AskTimeout);
            Check(beat.Error, $"heartbeat {member.GroupId}");
            await Task.Delay(TimeSpan.FromSeconds(1), stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<long> CommitLoopAsync(Member member, int committer, Stopwatch clock, TimeSpan until)
    {
        long requests = 0;
        var offset = 0L;
        while (clock.Elapsed < until)
        {
            offset++;
            var partitions = new OffsetCommitPartition[partitionsPerCommit];
            for (var i = 0; i < partitions.Length; i++)
            {
                // Each committer owns its own partitions, so that offsets only grow, as a member's do.
                partitions[i] = new OffsetCommitPartition(topic, committer * partitionsPerCommit + i, offset, -1, null);
            }
            var reply = await gateway.Ask<OffsetCommitResponse>(
                new OffsetCommitRequest(member.GroupId, member.Generation, member.MemberId, null, partitions), AskTimeout);
            Check(reply.Error, $"commit {member.GroupId}");
            foreach (var p in reply.Partitions) Check(p.Error, $"commit {member.GroupId} {p.Topic}-{p.Partition}");
            requests++;
        }
        return requests;
    }

    private static void Check(ErrorCode error, string what)
    {
        if (error != ErrorCode.None) throw new InvalidOperationException($"{what} was refused: {error}");
    }
}
