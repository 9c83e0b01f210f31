using System.Buffers.Binary;
using System.Diagnostics;
using AkkaStream.Benchmarks;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Net;

namespace AkkaStream.Peer.Benchmarks;

/// <summary>
/// NATS JetStream end to end, measured as AkkaStream's Kafka end-to-end run measures it: a fresh
/// file-backed stream with <see cref="NatsBenchOptions.Replicas"/> replicas; a publisher at a fixed
/// rate, each message acknowledged by the stream (with 3 replicas, once a majority holds it: as
/// acks=all with min.insync.replicas=2) and starting with its send time (a <see cref="Stopwatch"/>
/// timestamp); an ordered consumer from the stream's start, which records receipt − send. JetStream
/// delivers a message only once the stream has committed it, as a Kafka consumer sees only records
/// below the high watermark. The first <see cref="NatsBenchOptions.WarmupRecords"/> are left out.
/// </summary>
internal static class NatsEndToEndBenchmark
{
    private static readonly TimeSpan SendTick = TimeSpan.FromMilliseconds(1);

    public static async Task<(RunResult Result, string Latency)> RunAsync(NatsBenchOptions options)
    {
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = options.Servers, Name = "akkastream-peer-bench" });
        await connection.ConnectAsync();
        var js = connection.CreateJetStreamContext();
        var subject = options.Stream + ".records";
        await CreateStreamAsync(js, options, subject);

        var latencies = new long[options.Records];
        var received = 0L;
        using var stop = new CancellationTokenSource();
        var consumer = await js.CreateOrderedConsumerAsync(options.Stream);
        var reader = Task.Run(async () =>
        {
            await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: stop.Token))
            {
                var now = Stopwatch.GetTimestamp();
                latencies[received++] = now - BinaryPrimitives.ReadInt64LittleEndian(message.Data);
                if (received == options.Records) return;
            }
        });

        var failed = 0L;
        string? firstFailure = null;
        async Task PublishAsync(byte[] value)
        {
            try
            {
                var ack = await js.PublishAsync(subject, value);
                ack.EnsureSuccess();
            }
            catch (Exception e) when (e is NatsException or TimeoutException)
            {
                if (Interlocked.Increment(ref failed) == 1) firstFailure = e.Message;
            }
        }
        var publishes = new List<Task>((int)Math.Min(options.Records, int.MaxValue));
        var started = Stopwatch.GetTimestamp();
        for (var sent = 0L; sent < options.Records;)
        {
            var due = Math.Min(options.Records, (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * options.Rate) + 1);
            for (; sent < due; sent++)
            {
                var value = new byte[options.RecordSize];
                BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
                publishes.Add(PublishAsync(value));
            }
            await Task.Delay(SendTick);
        }
        await Task.WhenAll(publishes);
        // A publish that got no acknowledgement may or may not be in the stream: the reader stops once nothing new comes for the timeout.
        while (!reader.IsCompleted)
        {
            var before = Volatile.Read(ref received);
            if (await Task.WhenAny(reader, Task.Delay(options.Timeout)) == reader || Volatile.Read(ref received) == before) break;
        }
        stop.Cancel();
        try
        {
            // Its last write to the latencies lands before they are read.
            await reader;
        }
        catch (OperationCanceledException)
        {
            // Stopped waiting for messages that never came.
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var missing = options.Records - received - failed;
        var result = new RunResult("sent and received", received, received * (long)options.RecordSize, elapsed,
            failed + Math.Max(0, missing), firstFailure ?? (missing > 0 ? $"{missing} acknowledged messages not read" : null));
        return (result, LatencySummary.Describe(latencies, received, options.WarmupRecords));
    }

    /// <summary>
    /// The stream made afresh (an older one of the name deleted first). A cluster that has just
    /// started answers JetStream's API only once it has elected its meta leader, so an unanswered
    /// request is tried again, until <see cref="NatsBenchOptions.Timeout"/>.
    /// </summary>
    private static async Task CreateStreamAsync(INatsJSContext js, NatsBenchOptions options, string subject)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                try
                {
                    await js.DeleteStreamAsync(options.Stream);
                }
                catch (NatsJSApiException)
                {
                    // No such stream yet.
                }
                await js.CreateStreamAsync(new StreamConfig(options.Stream, [subject])
                {
                    Storage = StreamConfigStorage.File,
                    NumReplicas = options.Replicas,
                });
                return;
            }
            catch (NatsJSApiNoResponseException) when (Stopwatch.GetElapsedTime(started) < options.Timeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
