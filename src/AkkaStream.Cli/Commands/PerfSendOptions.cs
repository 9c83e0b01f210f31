using System.CommandLine;
using AkkaStream.Cli.Parsing;
using AkkaStream.Client.Configuration;

namespace AkkaStream.Cli.Commands;

/// <summary>
/// The sending options that <c>perf produce</c> and <c>perf end-to-end</c> share: how many
/// records, the rate cap, the send window and the producer settings a run overrides.
/// </summary>
internal sealed class PerfSendOptions
{
    public const int DefaultMaxOutstanding = 20_000;

    private readonly Option<long?> _numRecords = CommonOptions.AtLeast("--num-records", 1L, "How many records to send");
    private readonly Option<double> _throughput = new("--throughput") { Description = "Cap in records/s; -1 for unlimited", DefaultValueFactory = _ => -1 };
    private readonly Option<string> _acks = new("--acks") { Description = "0, 1 or all", DefaultValueFactory = _ => "all" };
    private readonly Option<int?> _linger = CommonOptions.AtLeast("--linger-ms", 0, "How long a batch waits for more records [default: client setting]");
    private readonly Option<int?> _batchSize = CommonOptions.AtLeast("--batch-size", 1, "Batch size in bytes [default: client setting]");
    private readonly Option<int?> _maxOutstanding = CommonOptions.AtLeast("--max-outstanding", 1, $"Records sent but not yet reported before sending waits [default: {DefaultMaxOutstanding}]");

    public PerfSendOptions()
    {
        _numRecords.Required = true;
        _acks.AcceptOnlyFromAmong("0", "1", "all", "-1");
    }

    public IEnumerable<Option> All => [_numRecords, _throughput, _acks, _linger, _batchSize, _maxOutstanding];

    public long Records(ParseResult parsed) => parsed.GetValue(_numRecords)!.Value;

    public double Throughput(ParseResult parsed) => parsed.GetValue(_throughput);

    public int MaxOutstanding(ParseResult parsed) => parsed.GetValue(_maxOutstanding) ?? DefaultMaxOutstanding;

    /// <summary><paramref name="baseline"/> with the acks, linger and batch size given on the command line.</summary>
    public ProducerSettings Producer(ProducerSettings baseline, ParseResult parsed)
    {
        var settings = baseline with { Acks = ProducerSettings.ParseAcks(parsed.GetRequiredValue(_acks)) };
        if (parsed.GetValue(_linger) is { } ms)
        {
            settings = settings with { Linger = TimeSpan.FromMilliseconds(ms) };
        }
        if (parsed.GetValue(_batchSize) is { } bytes)
        {
            settings = settings with { BatchSize = bytes };
        }
        return settings;
    }
}
