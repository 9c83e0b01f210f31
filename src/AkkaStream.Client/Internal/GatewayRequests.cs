using Akka.Actor;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Metadata;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Internal;

/// <summary>
/// Request/reply with brokers for the Task-returning APIs (admin, offset look-ups): to any broker's
/// gateway, or to a partition leader's with retries on stale metadata. Error replies become
/// <see cref="AkkaStreamException"/>s carrying the Kafka error code. Thread-safe.
/// </summary>
internal sealed class GatewayRequests(ActorSystem system, IActorRef metadata, ClientSettings settings)
{
    public ClientSettings Settings { get; } = settings;

    public async Task<ClusterSnapshot> SnapshotAsync(bool fresh = false, CancellationToken cancellationToken = default) =>
        await metadata.Ask<ClusterSnapshot>(new MetadataActor.GetSnapshot(fresh), Settings.RequestTimeout + TimeSpan.FromSeconds(1), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// Asks any broker's gateway: the known brokers in turn, then the bootstrap entries, moving on
    /// when one does not answer. A broker that crashed stays in cached metadata until the cluster
    /// removes it, so the first one known may never answer. Each attempt gets an equal share of the
    /// request timeout (at least a second).
    /// </summary>
    public async Task<TReply> AskAnyAsync<TReply>(object request, CancellationToken cancellationToken = default)
    {
        var snapshot = await SnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var gateways = snapshot.Brokers.Select(b => b.GatewayPath).Concat(Settings.BootstrapGatewayPaths()).Distinct().ToList();
        var perAttempt = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, Settings.RequestTimeout.Ticks / gateways.Count));
        AkkaStreamException? lastTimeout = null;
        foreach (var gateway in gateways)
        {
            try
            {
                return ThrowOnError(await AskAsync<TReply>(gateway, request, perAttempt, cancellationToken).ConfigureAwait(false));
            }
            catch (AkkaStreamException e) when (e.Code == ErrorCode.RequestTimedOut)
            {
                lastTimeout = e;
            }
        }
        throw lastTimeout!;
    }

    /// <summary>Asks the leader of <paramref name="tp"/>, refreshing metadata and retrying while the error says it moved.</summary>
    public async Task<TReply> AskLeaderAsync<TReply>(TopicPartition tp, Func<int, object> request, CancellationToken cancellationToken = default)
        where TReply : IErrorReply
    {
        var deadline = DateTime.UtcNow + Settings.RequestTimeout;
        var fresh = false;
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = await SnapshotAsync(fresh, cancellationToken).ConfigureAwait(false);
            var error = snapshot.TryGetLeader(tp, out var gateway, out var epoch);
            string? message = null;
            if (error == ErrorCode.None)
            {
                try
                {
                    var reply = await AskAsync<TReply>(gateway, request(epoch), Settings.RequestTimeout, cancellationToken).ConfigureAwait(false);
                    if (reply.Error == ErrorCode.None)
                    {
                        return reply;
                    }
                    (error, message) = (reply.Error, reply.ErrorMessage);
                }
                catch (AkkaStreamException e) when (e.Code == ErrorCode.RequestTimedOut)
                {
                    (error, message) = (e.Code, e.Message);
                }
            }
            if (!RetriableErrors.IsRetriable(error) || DateTime.UtcNow >= deadline)
            {
                throw new AkkaStreamException(error, message ?? $"{error} for {tp}");
            }
            fresh = RetriableErrors.InvalidatesMetadata(error);
            await Task.Delay(Settings.BackoffFor(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each partition's offset for <paramref name="timestamp"/> (Kafka's ListOffsets: the first
    /// offset at or after a time, or <see cref="ListOffsetsRequest.Earliest"/> /
    /// <see cref="ListOffsetsRequest.Latest"/>), asked of every partition's leader at once; -1 where
    /// no record is that recent.
    /// </summary>
    public async Task<IReadOnlyDictionary<TopicPartition, long>> OffsetsForAsync(
        IReadOnlyList<TopicPartition> partitions, long timestamp, CancellationToken cancellationToken = default)
    {
        var asks = new Task<ListOffsetsResponse>[partitions.Count];
        for (var i = 0; i < partitions.Count; i++)
        {
            var tp = partitions[i];
            asks[i] = AskLeaderAsync<ListOffsetsResponse>(tp, epoch => new ListOffsetsRequest(tp.Topic, tp.Partition, timestamp, epoch), cancellationToken);
        }
        var replies = await Task.WhenAll(asks).ConfigureAwait(false);
        var result = new Dictionary<TopicPartition, long>(partitions.Count);
        for (var i = 0; i < partitions.Count; i++)
        {
            result[partitions[i]] = replies[i].Offset;
        }
        return result;
    }

    private async Task<TReply> AskAsync<TReply>(string gateway, object request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await system.ActorSelection(gateway).Ask<TReply>(request, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException e)
        {
            throw new AkkaStreamException(ErrorCode.RequestTimedOut, $"{gateway} did not answer {request.GetType().Name} within {timeout}", e);
        }
    }

    public static TReply ThrowOnError<TReply>(TReply reply)
    {
        if (reply is IErrorReply { Error: not ErrorCode.None } failed)
        {
            throw new AkkaStreamException(failed.Error, failed.ErrorMessage ?? failed.Error.ToString());
        }
        return reply;
    }
}
