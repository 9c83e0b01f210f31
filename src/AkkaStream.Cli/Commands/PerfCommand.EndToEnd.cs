using System.CommandLine;
using System.Diagnostics;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;
using AkkaStream.Cli.Perf;
using AkkaStream.Client;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Consumer;
using AkkaStream.Client.Producer;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream perf end-to-end</c>: a producer and a consumer in one process, on one topic.
/// Each record carries its send time (<see cref="SendStamp"/>); the consumer records now − sent
/// as it receives it, so the latency covers batching, replication to the high watermark and the
/// fetch — what a reader waits for, not only what the writer is told.
/// </summary>
public static partial class PerfCommand
{
    private static Command EndToEndCommand(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topic = CommonOptions.Topic("The topic to write to and read from");
        var recordSize = CommonOptions.AtLeast("--record-size", SendStamp.Size, $"Value size of each record in bytes (at least {SendStamp.Size}: the send time)");
        recordSize.Required = true;
        var timeoutMs = CommonOptions.AtLeast("--timeout-ms", 1, "Give up after this long without a record [default: 10000]");
        var warmup = CommonOptions.AtLeast("--warmup-records", 0L, "Send and receive this many records first without counting them [default: 0]");
        var send = new PerfSendOptions();
        var command = new Command("end-to-end", "Send records (at a fixed rate with --throughput) and read them back in the same process; report send-to-receipt latency")
        {
            bootstrap, topic, recordSize, timeoutMs, warmup,
        };
        foreach (var option in send.All)
        {
            command.Options.Add(option);
        }
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), (client, ct) =>
        {
            var run = new EndToEndRun(
                new ProduceRun(parsed.GetRequiredValue(topic), send.Records(parsed), parsed.GetValue(recordSize)!.Value,
                    send.Throughput(parsed), send.MaxOutstanding(parsed)),
                TimeSpan.FromMilliseconds(parsed.GetValue(timeoutMs) ?? 10_000),
                parsed.GetValue(warmup) ?? 0);
            return EndToEndAsync(client, send.Producer(client.Settings.Producer, parsed), client.Settings.Consumer, run, env, ct);
        }, cancellation));
        return command;
    }

    /// <param name="WarmupRecords">
    /// The first records, sent and received like the others but left out of the figures: a new
    /// client's first second pays for connecting to every leader and for compiling its code paths,
    /// which is not the steady state a fixed-rate run measures.
    /// </param>
    private sealed record EndToEndRun(ProduceRun Send, TimeSpan IdleTimeout, long WarmupRecords);

    private static async Task<int> EndToEndAsync(AkkaStreamClient client, ProducerSettings producerSettings, ConsumerSettings consumerSettings,
        EndToEndRun run, CliEnvironment env, CancellationToken ct)
    {
        var send = run.Send;
        var partitions = await TopicLookup.PartitionsAsync(client, send.Topic, null, ct).ConfigureAwait(false);
        var template = new byte[send.RecordSize];
        new Random(42).NextBytes(template);
        var stats = new PerfStats();
        var window = new SendWindow(send.MaxOutstanding);
        var tally = new DeliveryTally(send.Records, window);
        var breakdown = new HopBreakdown();
        // Records sent before this stamp are the warm-up; set when the first counted record is sent.
        long countFrom = run.WarmupRecords == 0 ? 0 : long.MaxValue;
        long created = 0;

        void OnDelivery(DeliveryReport report)
        {
            if (report.IsSuccess && report.Correlation is long sent && sent >= Volatile.Read(ref countFrom))
            {
                breakdown.Acknowledged(sent);
            }
            tally.Settle(report);
        }

        Action<DeliveryReport> onDelivery = OnDelivery;

        ProduceRecord Next()
        {
            var value = (byte[])template.Clone();
            var stamp = Stopwatch.GetTimestamp();
            if (created++ == run.WarmupRecords && run.WarmupRecords > 0)
            {
                Volatile.Write(ref countFrom, stamp);
            }
            SendStamp.Write(value, stamp);
            return new ProduceRecord(send.Topic, null, value) { OnDelivery = onDelivery, Correlation = stamp };
        }

        void OnReceived(IReadOnlyList<ConsumeRecord> records, int take)
        {
            for (var i = 0; i < take; i++)
            {
                // A record without a stamp was written by someone else: not part of the figures.
                if (records[i].Value is { } value && SendStamp.Read(value) is { } sent && sent >= Volatile.Read(ref countFrom))
                {
                    stats.Record(value.Length, (long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds);
                    breakdown.Received(sent, records[i].Timestamp, records[i].TimestampType);
                }
            }
        }

        var consumer = client.CreateConsumer(consumerSettings);
        var producer = client.CreateProducer(producerSettings);
        await using (consumer.ConfigureAwait(false))
        await using (producer.ConfigureAwait(false))
        {
            // Read from the current ends: records already in the topic were stamped by another
            // process's clock, and counting them would end the run before ours arrive.
            var ends = await consumer.EndOffsetsAsync(partitions, ct).ConfigureAwait(false);
            consumer.Assign(partitions);
            foreach (var (partition, offset) in ends)
            {
                consumer.Seek(partition, offset);
            }
            using var progress = new CancellationTokenSource();
            var progressLoop = ProgressAsync(env, stats, send.Records - run.WarmupRecords, "received", withLatency: true, progress.Token);
            var start = Stopwatch.GetTimestamp();
            var receiving = PollLoop.ReceiveAsync(consumer, send.Records, run.IdleTimeout, OnReceived, ct);
            await PacedSender.SendAsync(producer, send.Records, new Pacer(send.Throughput), window, Next, ct).ConfigureAwait(false);
            await producer.FlushAsync(producerSettings.DeliveryTimeout).ConfigureAwait(false);
            await tally.AllReported.WaitAsync(producerSettings.DeliveryTimeout, ct).ConfigureAwait(false);
            var received = await receiving.ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start);
            await progress.CancelAsync().ConfigureAwait(false);
            await progressLoop.ConfigureAwait(false);
            await WriteSummaryAsync(env, [stats.EndToEndSummary(elapsed), breakdown.Summary()], stats.Summary(elapsed, withLatency: true)).ConfigureAwait(false);
            tally.ThrowIfAnyFailed();
            if (received < send.Records)
            {
                await env.Error.WriteLineAsync($"error: {send.Records - received} of {send.Records} records delivered but not received within {run.IdleTimeout.TotalMilliseconds:F0} ms without a record").ConfigureAwait(false);
                return ExitCodes.KafkaError;
            }
        }
        return ExitCodes.Success;
    }
}
