using System.CommandLine;
using System.Globalization;
using AkkaStream.Cli.Formatting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;
using AkkaStream.Client;
using AkkaStream.Client.Configuration;
using AkkaStream.Client.Producer;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream produce</c>: Kafka's console producer. Each line of standard input becomes one
/// record; at the end of input every record is flushed and the first failure, if any, sets the
/// exit code.
/// </summary>
public static class ProduceCommand
{
    /// <summary>Records sent but not yet reported are capped, so that a long input does not pile up in memory.</summary>
    private const int MaxUnreported = 10_000;

    public static Command Create(CliEnvironment? environment = null)
    {
        var env = environment ?? CliEnvironment.FromConsole();
        var bootstrap = CommonOptions.Bootstrap();
        var topic = CommonOptions.Topic("The topic to write to");
        var partition = CommonOptions.AtLeast("--partition", 0, "Write every record to this partition [default: by key, as Kafka's default partitioner]");
        var properties = CommonOptions.KeyValueList("--property", "parse.key=true|false, key.separator=<text> [default: tab] (repeatable)");
        var acks = new Option<string>("--acks") { Description = "0, 1 or all", DefaultValueFactory = _ => "all" };
        acks.AcceptOnlyFromAmong("0", "1", "all", "-1");
        var compression = new Option<string>("--compression", "--compression-codec") { Description = "none, gzip, snappy, lz4 or zstd", DefaultValueFactory = _ => "none" };
        compression.AcceptOnlyFromAmong("none", "gzip", "snappy", "lz4", "zstd");
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print where each record was written (topic-partition@offset)" };
        var command = new Command("produce", "Write one record per line of standard input") { bootstrap, topic, partition, properties, acks, compression, verbose };
        command.Validators.Add(result =>
        {
            if (!LineFormat.TryCreate(result.ValueOrDefault(properties) ?? new Dictionary<string, string>(), out _, out var error))
            {
                result.AddError(error);
            }
        });
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), (client, ct) =>
        {
            LineFormat.TryCreate(parsed.GetRequiredValue(properties), out var format, out _);
            var settings = client.Settings.Producer with
            {
                Acks = ProducerSettings.ParseAcks(parsed.GetRequiredValue(acks)),
                Compression = ProducerSettings.ParseCompression(parsed.GetRequiredValue(compression)),
            };
            var options = new ProduceOptions(parsed.GetRequiredValue(topic), parsed.GetValue(partition), format, parsed.GetValue(verbose));
            return ProduceLinesAsync(client, settings, options, env, ct);
        }, cancellation));
        return command;
    }

    private sealed record ProduceOptions(string Topic, int? Partition, LineFormat Format, bool Verbose);

    private static async Task<int> ProduceLinesAsync(AkkaStreamClient client, ProducerSettings settings, ProduceOptions options, CliEnvironment env, CancellationToken ct)
    {
        await TopicLookup.PartitionsAsync(client, options.Topic, options.Partition, ct).ConfigureAwait(false);
        var producer = client.CreateProducer(settings);
        await using (producer.ConfigureAwait(false))
        {
            var unreported = new Queue<Task<DeliveryReport>>();
            long lineNumber = 0;
            while (await env.In.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                var (key, value) = options.Format.Split(line, lineNumber);
                unreported.Enqueue(producer.ProduceAsync(options.Topic, key, value, partition: options.Partition));
                while (unreported.Count > 0 && (unreported.Count > MaxUnreported || unreported.Peek().IsCompleted))
                {
                    await ReportAsync(unreported.Dequeue(), options, env).ConfigureAwait(false);
                }
            }
            await producer.FlushAsync().ConfigureAwait(false);
            while (unreported.Count > 0)
            {
                await ReportAsync(unreported.Dequeue(), options, env).ConfigureAwait(false);
            }
        }
        return ExitCodes.Success;
    }

    /// <summary>Waits for one record's report: a failure ends the command, success is printed only when verbose.</summary>
    private static async Task ReportAsync(Task<DeliveryReport> delivery, ProduceOptions options, CliEnvironment env)
    {
        var report = await delivery.ConfigureAwait(false);
        if (options.Verbose)
        {
            await env.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{report.Topic}-{report.Partition}@{report.Offset}")).ConfigureAwait(false);
        }
    }
}
