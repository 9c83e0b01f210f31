using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AkkaStream.Cli.Formatting;
using AkkaStream.Cli.Hosting;
using AkkaStream.Cli.Parsing;
using AkkaStream.Client;
using AkkaStream.Client.Consumer;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// <c>akkastream consume</c>: Kafka's console consumer with manual assignment. Prints one record per
/// line from every partition of the topic (or one), and follows the topic until Ctrl-C, until
/// <c>--max-messages</c> records were printed, or until <c>--timeout-ms</c> passed without a record.
/// </summary>
public static class ConsumeCommand
{
    /// <summary>The longest single poll: bounds how late an idle timeout or Ctrl-C is noticed.</summary>
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(500);

    public static Command Create(CliEnvironment? environment = null)
    {
        var env = environment ?? CliEnvironment.FromConsole();
        var bootstrap = CommonOptions.Bootstrap();
        var topic = CommonOptions.Topic("The topic to read");
        var partition = CommonOptions.AtLeast("--partition", 0, "Read only this partition [default: every partition]");
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Start at the earliest record rather than the latest" };
        var offset = new Option<StartOffset?>("--offset")
        {
            Description = "Start at this offset (needs --partition), or at 'earliest' or 'latest'",
            CustomParser = result =>
            {
                if (StartOffset.TryParse(result.Tokens[0].Value, out var start))
                {
                    return start;
                }
                result.AddError($"--offset must be earliest, latest or a non-negative number, not '{result.Tokens[0].Value}'");
                return null;
            },
        };
        var maxMessages = CommonOptions.AtLeast("--max-messages", 1, "Exit after printing this many records");
        var timeoutMs = CommonOptions.AtLeast("--timeout-ms", 0, "Exit after this many milliseconds without a new record");
        var properties = CommonOptions.KeyValueList("--property",
            "print.key, print.offset, print.partition, print.timestamp=true|false, key.separator=<text> [default: tab] (repeatable)");
        var command = new Command("consume", "Print the records of a topic, one value per line")
        {
            bootstrap, topic, partition, fromBeginning, offset, maxMessages, timeoutMs, properties,
        };
        command.Validators.Add(result =>
        {
            var start = result.ValueOrDefault(offset);
            if (result.ValueOrDefault(fromBeginning) && start is not null)
            {
                result.AddError("--from-beginning and --offset cannot be used together");
            }
            if (start is { Where: StartOffset.Kind.Exact } && result.ValueOrDefault(partition) is null)
            {
                result.AddError("--offset with a number needs --partition");
            }
            if (!RecordFormat.TryCreate(result.ValueOrDefault(properties) ?? new Dictionary<string, string>(), out _, out var error))
            {
                result.AddError(error);
            }
        });
        command.SetAction((parsed, cancellation) => ClientRunner.RunAsync(env, parsed.GetRequiredValue(bootstrap), (client, ct) =>
        {
            RecordFormat.TryCreate(parsed.GetRequiredValue(properties), out var format, out _);
            var options = new ConsumeOptions(
                parsed.GetRequiredValue(topic),
                parsed.GetValue(partition),
                parsed.GetValue(fromBeginning) ? StartOffset.Earliest : parsed.GetValue(offset) ?? StartOffset.Latest,
                parsed.GetValue(maxMessages),
                parsed.GetValue(timeoutMs) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                format);
            return ConsumeAsync(client, options, env, ct);
        }, cancellation));
        return command;
    }

    private sealed record ConsumeOptions(string Topic, int? Partition, StartOffset Start, int? MaxMessages, TimeSpan? IdleTimeout, RecordFormat Format);

    private static async Task<int> ConsumeAsync(AkkaStreamClient client, ConsumeOptions options, CliEnvironment env, CancellationToken ct)
    {
        var partitions = await TopicLookup.PartitionsAsync(client, options.Topic, options.Partition, ct).ConfigureAwait(false);
        var consumer = client.CreateConsumer();
        var printed = 0;
        await using (consumer.ConfigureAwait(false))
        {
            consumer.Assign(partitions);
            switch (options.Start.Where)
            {
                case StartOffset.Kind.Earliest:
                    consumer.SeekToBeginning(partitions);
                    break;
                case StartOffset.Kind.Latest:
                    consumer.SeekToEnd(partitions);
                    break;
                default:
                    consumer.Seek(partitions[0], options.Start.Offset);
                    break;
            }
            var sinceLastRecord = Stopwatch.StartNew();
            try
            {
                while (printed < (options.MaxMessages ?? int.MaxValue))
                {
                    var wait = MaxPoll;
                    if (options.IdleTimeout is { } idle)
                    {
                        var left = idle - sinceLastRecord.Elapsed;
                        if (left <= TimeSpan.Zero)
                        {
                            break;
                        }
                        wait = left < wait ? left : wait;
                    }
                    var records = await consumer.PollAsync(wait, ct).ConfigureAwait(false);
                    if (records.Count > 0)
                    {
                        sinceLastRecord.Restart();
                    }
                    foreach (var record in records)
                    {
                        await env.Out.WriteLineAsync(options.Format.Format(record)).ConfigureAwait(false);
                        if (++printed == options.MaxMessages)
                        {
                            break;
                        }
                    }
                    await env.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C is how a following consumer is meant to end.
            }
        }
        await env.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Processed a total of {printed} messages")).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
