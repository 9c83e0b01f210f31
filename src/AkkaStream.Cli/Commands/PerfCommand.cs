using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;
using AkkaStream.Cli.Perf;
using AkkaStream.Client;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Producer;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream perf produce|consume</c>: load generators in the manner of Kafka's producer and
/// consumer perf tools. A progress line goes to standard error every few seconds (rewritten in
/// place on a terminal); standard output gets the one-line summary scripts read, then a table of
/// the run's figures.
/// </summary>
public static partial class PerfCommand
{
    /// <summary>How often a progress line is written.</summary>
    public static TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    public static Command Create(CliEnvironment? environment = null)
    {
        var env = environment ?? CliEnvironment.FromConsole();
        return new Command("perf", "Measure produce and consume throughput and latency against a cluster")
        {
            ProduceCommand(env),
            ConsumeCommand(env),
            EndToEndCommand(env),
        };
    }

    private static Command ProduceCommand(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topic = CommonOptions.Topic("The topic to write to");
        var recordSize = CommonOptions.AtLeast("--record-size", 0, "Value size of each record in bytes");
        recordSize.Required = true;
        var send = new PerfSendOptions();
        var command = new Command("produce", "Send records as fast as allowed and report throughput and send-to-delivery latency")
        {
            bootstrap, topic, recordSize,
        };
        foreach (var option in send.All)
        {
            command.Options.Add(option);
        }
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), (client, ct) =>
        {
            var run = new ProduceRun(
                parsed.GetRequiredValue(topic),
                send.Records(parsed),
                parsed.GetValue(recordSize)!.Value,
                send.Throughput(parsed),
                send.MaxOutstanding(parsed));
            return ProduceAsync(client, send.Producer(client.Settings.Producer, parsed), run, env, ct);
        }, cancellation));
        return command;
    }

    private static Command ConsumeCommand(CliEnvironment env)
    {
        var bootstrap = CommonOptions.Bootstrap();
        var topic = CommonOptions.Topic("The topic to read");
        var messages = CommonOptions.AtLeast("--messages", 1L, "How many records to read");
        messages.Required = true;
        var maxPoll = CommonOptions.AtLeast("--max-poll-records", 1, "Most records one poll returns [default: client setting]");
        var timeoutMs = CommonOptions.AtLeast("--timeout-ms", 1, "Give up after this long without a record [default: 10000]");
        var command = new Command("consume", "Read records from the beginning of every partition and report throughput")
        {
            bootstrap, topic, messages, maxPoll, timeoutMs,
        };
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), (client, ct) =>
        {
            var settings = client.Settings.Consumer;
            if (parsed.GetValue(maxPoll) is { } records)
            {
                settings = settings with { MaxPollRecords = records };
            }
            return ConsumeAsync(client, settings, parsed.GetRequiredValue(topic), parsed.GetValue(messages)!.Value,
                TimeSpan.FromMilliseconds(parsed.GetValue(timeoutMs) ?? 10_000), env, ct);
        }, cancellation));
        return command;
    }

    private sealed record ProduceRun(string Topic, long Records, int RecordSize, double Throughput, int MaxOutstanding);

    private static async Task<int> ProduceAsync(AkkaStreamClient client, ProducerSettings settings, ProduceRun run, CliEnvironment env, CancellationToken ct)
    {
        await TopicLookup.PartitionsAsync(client, run.Topic, null, ct).ConfigureAwait(false);
        var payload = new byte[run.RecordSize];
        new Random(42).NextBytes(payload);
        var stats = new PerfStats();
        var window = new SendWindow(run.MaxOutstanding);
        var tally = new DeliveryTally(run.Records, window);

        // One delegate for every record: the send time travels in the record's correlation.
        void OnDelivery(DeliveryReport report)
        {
            if (report.IsSuccess)
            {
                stats.Record(run.RecordSize, (long)Stopwatch.GetElapsedTime((long)report.Correlation!).TotalMicroseconds);
            }
            tally.Settle(report);
        }

        var producer = client.CreateProducer(settings);
        await using (producer.ConfigureAwait(false))
        {
            using var progress = new CancellationTokenSource();
            var progressLoop = ProgressAsync(env, stats, run.Records, "sent", withLatency: true, progress.Token);
            var start = Stopwatch.GetTimestamp();
            Action<DeliveryReport> onDelivery = OnDelivery;
            await PacedSender.SendAsync(producer, run.Records, new Pacer(run.Throughput), window,
                () => new ProduceRecord(run.Topic, null, payload) { Correlation = Stopwatch.GetTimestamp(), OnDelivery = onDelivery }, ct).ConfigureAwait(false);
            await producer.FlushAsync(settings.DeliveryTimeout).ConfigureAwait(false);
            await tally.AllReported.WaitAsync(settings.DeliveryTimeout, ct).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start);
            await progress.CancelAsync().ConfigureAwait(false);
            await progressLoop.ConfigureAwait(false);
            await WriteSummaryAsync(env, [stats.ProduceSummary(elapsed)], stats.Summary(elapsed, withLatency: true)).ConfigureAwait(false);
        }
        tally.ThrowIfAnyFailed();
        return ExitCodes.Success;
    }

    private static async Task<int> ConsumeAsync(AkkaStreamClient client, ConsumerSettings settings, string topic, long messages, TimeSpan idleTimeout, CliEnvironment env, CancellationToken ct)
    {
        var partitions = await TopicLookup.PartitionsAsync(client, topic, null, ct).ConfigureAwait(false);
        var consumer = client.CreateConsumer(settings);
        var stats = new PerfStats();
        await using (consumer.ConfigureAwait(false))
        {
            consumer.Assign(partitions);
            consumer.SeekToBeginning(partitions);
            using var progress = new CancellationTokenSource();
            var progressLoop = ProgressAsync(env, stats, messages, "received", withLatency: false, progress.Token);
            var start = Stopwatch.GetTimestamp();
            var received = await PollLoop.ReceiveAsync(consumer, messages, idleTimeout, (records, take) =>
            {
                long bytes = 0;
                for (var i = 0; i < take; i++)
                {
                    bytes += (records[i].Value?.Length ?? 0) + (records[i].Key?.Length ?? 0);
                }
                stats.RecordMany(take, bytes);
            }, ct).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start);
            await progress.CancelAsync().ConfigureAwait(false);
            await progressLoop.ConfigureAwait(false);
            await WriteSummaryAsync(env, [stats.ConsumeSummary(elapsed)], stats.Summary(elapsed, withLatency: false)).ConfigureAwait(false);
            if (received < messages)
            {
                await env.Error.WriteLineAsync($"error: exiting before consuming the expected number of records: got {received} of {messages} before {idleTimeout.TotalMilliseconds:F0} ms without a record").ConfigureAwait(false);
                return ExitCodes.KafkaError;
            }
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// Every <see cref="ProgressInterval"/> until <paramref name="stop"/>: how many of the
    /// <paramref name="target"/> records are done, then the figures of the interval, e.g.
    /// <c>[1200/3000 40%] 600 records sent, 3000.0 records/sec (0.29 MB/sec), 1.2 ms avg latency, 5.0 ms max latency.</c>
    /// </summary>
    private static async Task ProgressAsync(CliEnvironment env, PerfStats stats, long target, string verb, bool withLatency, CancellationToken stop)
    {
        var progress = new ProgressLine(env.Error, env.ErrorIsTerminal);
        using var timer = new PeriodicTimer(ProgressInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var done = stats.Records;
                var percent = target <= 0 ? 100 : Math.Min(100, done * 100 / target);
                await progress.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"[{done}/{target} {percent}%] ") + stats.TakeWindow(verb, withLatency))
                    .ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        await progress.EndAsync().ConfigureAwait(false);
    }

    /// <summary>The summary lines scripts read (the first one above all), a blank line, and the table of <paramref name="summary"/>.</summary>
    private static async Task WriteSummaryAsync(CliEnvironment env, IEnumerable<string> lines, PerfSummary summary)
    {
        foreach (var line in lines) await env.Out.WriteLineAsync(line).ConfigureAwait(false);
        await env.Out.WriteLineAsync().ConfigureAwait(false);
        foreach (var line in summary.Table()) await env.Out.WriteLineAsync(line).ConfigureAwait(false);
    }
}
