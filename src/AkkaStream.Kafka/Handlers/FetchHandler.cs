using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// Fetch (1), v4-v11: one <see cref="FetchRequest"/> per partition to its leader, which answers
/// with whole batches as they are on disk, up to the partition's max bytes. A request for one
/// partition is that partition's fetch with the request's min_bytes and max_wait_ms: its leader
/// parks it until it can answer (Kafka's delayed fetch), one ask in all. For several partitions,
/// min_bytes and max_wait_ms hold across them: the partitions are read at once; if they hold fewer
/// than min_bytes together, each leader is asked to tell when it has data (a fetch of 0 bytes,
/// which reads nothing; a partition whose records are in hand already wakes it only with more), and
/// the partitions that woke are read on from the end of their records in hand, so that no batch is
/// read (and counted in bytes-out) twice. The response's max_bytes drops the
/// records of later partitions once earlier ones have filled it (the first non-empty partition is
/// always sent, so that one batch larger than the limit still makes progress, as in Kafka).
/// read_committed is served like read_uncommitted: without transactions, the last stable offset is
/// the high watermark. No fetch sessions (a request naming one is answered FetchSessionIdNotFound,
/// and session id 0 tells the client none was made) and no preferred read replica.
/// </summary>
public sealed class FetchHandler : IKafkaApiHandler
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);
    private static readonly StructSchema TopicSchema = FetchApi.Declaration.Response.ElementOf("Responses");
    private static readonly StructSchema PartitionSchema = TopicSchema.ElementOf("Partitions");
    private const sbyte ReadCommitted = 1;

    private sealed record Wanted(string Topic, int Partition, long Offset, int MaxBytes, int LeaderEpoch);

    public ApiKey Key => ApiKey.Fetch;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var body = request.Body;
        var response = FetchApi.Declaration.Response.NewDefault();
        if (body.Get<int>("SessionId") != 0)
        {
            return response.With("ErrorCode", (short)ErrorCode.FetchSessionIdNotFound);
        }
        var wanted = Partitions(body);
        var maxWait = TimeSpan.FromMilliseconds(Math.Max(0, body.Get<int>("MaxWaitMs")));
        var minBytes = body.Get<int>("MinBytes");
        if (wanted.Count == 1)
        {
            var only = await ReadAllAsync(context, wanted, (int)maxWait.TotalMilliseconds, minBytes, maxWait + context.AskTimeout, cancellation)
                .ConfigureAwait(false);
            return Build(response, body, wanted, only);
        }
        var deadline = DateTime.UtcNow + maxWait;
        var read = await ReadAllAsync(context, wanted, maxWaitMs: 0, minBytes: 0, context.AskTimeout, cancellation).ConfigureAwait(false);
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (read.Sum(r => (long)r.Records.Length) >= minBytes || remaining <= TimeSpan.Zero || read.Any(r => r.Error != ErrorCode.None))
            {
                return Build(response, body, wanted, read);
            }
            var ends = new long[wanted.Count];
            for (var i = 0; i < ends.Length; i++) ends[i] = NextOffset(wanted[i], read[i]);
            var woken = await WaitForDataAsync(context, wanted, ends, remaining, cancellation).ConfigureAwait(false);
            if (woken.Count == 0) continue;
            // Each woken partition is read on from where its records in hand end: no batch is read twice.
            var more = await ReadAllAsync(context, [.. woken.Select(i => Rest(wanted[i], read[i], ends[i]))], maxWaitMs: 0, minBytes: 0, context.AskTimeout,
                cancellation).ConfigureAwait(false);
            for (var i = 0; i < woken.Count; i++) read[woken[i]] = Joined(read[woken[i]], more[i]);
        }
    }

    private static List<Wanted> Partitions(MessageStruct body)
    {
        var wanted = new List<Wanted>();
        foreach (var topic in MessageFields.Structs(body, "Topics"))
        {
            var name = topic.Get<string>("Topic");
            foreach (var partition in MessageFields.Structs(topic, "Partitions"))
            {
                wanted.Add(new Wanted(name, partition.Get<int>("Partition"), partition.Get<long>("FetchOffset"),
                    partition.Get<int>("PartitionMaxBytes"), partition.Get<int>("CurrentLeaderEpoch")));
            }
        }
        return wanted;
    }

    private static async Task<FetchResponse[]> ReadAllAsync(KafkaRequestContext context, List<Wanted> wanted, int maxWaitMs, int minBytes,
        TimeSpan timeout, CancellationToken cancellation)
    {
        var asks = new Task<FetchResponse?>[wanted.Count];
        for (var i = 0; i < asks.Length; i++)
        {
            var w = wanted[i];
            asks[i] = GatewayAsk.AskAsync<FetchResponse>(context,
                new FetchRequest(w.Topic, w.Partition, w.Offset, Math.Max(1, w.MaxBytes), maxWaitMs, minBytes, w.LeaderEpoch), timeout, cancellation);
        }
        var replies = await Task.WhenAll(asks).ConfigureAwait(false);
        var result = new FetchResponse[replies.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = replies[i] ?? FetchResponse.Failed(wanted[i].Topic, wanted[i].Partition, ErrorCode.RequestTimedOut, "the leader did not answer in time");
        }
        return result;
    }

    /// <summary>
    /// Asks every partition's leader to answer once it has records past <paramref name="ends"/>, the
    /// ends of the records in hand (a fetch of 0 bytes from there, parked like any other) and
    /// returns, when one has or answers an error, or all have waited, the indexes of the partitions
    /// that have more now. The probes still parked then answer later, reading nothing.
    /// </summary>
    private static async Task<List<int>> WaitForDataAsync(KafkaRequestContext context, List<Wanted> wanted, long[] ends, TimeSpan wait,
        CancellationToken cancellation)
    {
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probes = new Task<FetchResponse?>[wanted.Count];
        for (var i = 0; i < probes.Length; i++)
        {
            var w = wanted[i];
            var after = ends[i];
            probes[i] = GatewayAsk.AskAsync<FetchResponse>(context,
                new FetchRequest(w.Topic, w.Partition, after, MaxBytes: 0, (int)Math.Ceiling(wait.TotalMilliseconds), MinBytes: 1, w.LeaderEpoch),
                wait + Margin, cancellation);
            _ = probes[i].ContinueWith(t =>
            {
                if (HasMore(t, after)) woken.TrySetResult();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        await Task.WhenAny(woken.Task, Task.WhenAll(probes)).ConfigureAwait(false);
        var ready = new List<int>();
        for (var i = 0; i < probes.Length; i++)
        {
            if (HasMore(probes[i], ends[i])) ready.Add(i);
        }
        return ready;
    }

    /// <summary>The offset after the records in hand, or the fetch offset when there are none.</summary>
    private static long NextOffset(Wanted wanted, FetchResponse read)
    {
        var next = wanted.Offset;
        foreach (var header in new RecordBatchEnumerator(read.Records)) next = header.NextOffset;
        return next;
    }

    /// <summary>What is left to read of <paramref name="wanted"/> after the records in hand: from their <paramref name="end"/>, within the partition's max bytes.</summary>
    private static Wanted Rest(Wanted wanted, FetchResponse read, long end) =>
        wanted with { Offset = end, MaxBytes = Math.Max(1, wanted.MaxBytes - read.Records.Length) };

    /// <summary>The records in hand followed by <paramref name="more"/>, with its high watermark; an error replaces them.</summary>
    private static FetchResponse Joined(FetchResponse inHand, FetchResponse more) =>
        more.Error != ErrorCode.None || inHand.Records.Length == 0 ? more : more with { Records = [.. inHand.Records, .. more.Records] };

    /// <summary>Whether a probe has answered that its partition has records past <paramref name="offset"/>, or an error.</summary>
    private static bool HasMore(Task<FetchResponse?> probe, long offset) =>
        probe.IsCompletedSuccessfully && probe.Result is { } r && (r.Error != ErrorCode.None || r.HighWatermark > offset);

    private static MessageStruct Build(MessageStruct response, MessageStruct body, List<Wanted> wanted, FetchResponse[] read)
    {
        var committed = body.Get<sbyte>("IsolationLevel") == ReadCommitted;
        var budget = (long)body.Get<int>("MaxBytes");
        var sent = 0L;
        var topics = new List<object?>();
        MessageStruct? current = null;
        List<object?>? partitions = null;
        for (var i = 0; i < read.Length; i++)
        {
            var w = wanted[i];
            var r = read[i];
            if (current is null || current.Get<string>("Topic") != w.Topic)
            {
                if (current is not null) current["Partitions"] = partitions!.ToArray();
                current = TopicSchema.NewDefault().With("Topic", w.Topic);
                partitions = [];
                topics.Add(current);
            }
            var records = r.Records;
            if (records.Length > 0 && sent > 0 && sent + records.Length > budget) records = [];
            sent += records.Length;
            partitions!.Add(PartitionSchema.NewDefault()
                .With("PartitionIndex", w.Partition)
                .With("ErrorCode", (short)r.Error)
                .With("HighWatermark", r.HighWatermark)
                .With("LastStableOffset", r.HighWatermark)
                .With("LogStartOffset", r.LogStartOffset)
                .With("AbortedTransactions", committed ? Array.Empty<object?>() : null)
                .With("Records", records));
        }
        if (current is not null) current["Partitions"] = partitions!.ToArray();
        return response.With("Responses", topics.ToArray());
    }
}
