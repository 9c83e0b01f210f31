using System.Globalization;

namespace AkkaStream.Groups.Benchmarks;

/// <summary>The benchmark's command line: <c>--name value</c> pairs, each with a default.</summary>
public sealed record BenchmarkOptions(
    int Groups, int Committers, int PartitionsPerCommit, TimeSpan Duration, int FailoverRepeats, TimeSpan SessionTimeout, IReadOnlyList<string> BrokerSettings)
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/AkkaStream.Groups.Benchmarks -- [options]
          --groups N                  groups committing at once in the many-groups run (default 32)
          --committers N              commit loops per group (its members), each one request at a time (default 64)
          --partitions-per-commit N   partitions in each commit request (default 4)
          --seconds N                 length of each commit run (default 10)
          --failover-repeats N        member deaths timed (default 5; 0 skips)
          --session-timeout-ms N      the group consumers' session timeout in the failover runs (default 6000)
          --set key=value             a setting for the broker on top of hocon/node-1.conf (repeatable), e.g. to try journal settings
        """;

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions(32, 64, 4, TimeSpan.FromSeconds(10), 5, TimeSpan.FromSeconds(6), []);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count) throw new ArgumentException($"{args[i]} needs a value");
            if (args[i] == "--set")
            {
                options = options with { BrokerSettings = [.. options.BrokerSettings, args[i + 1]] };
                continue;
            }
            var value = int.Parse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--groups" => options with { Groups = Math.Max(1, value) },
                "--committers" => options with { Committers = Math.Max(1, value) },
                "--partitions-per-commit" => options with { PartitionsPerCommit = Math.Max(1, value) },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Math.Max(1, value)) },
                "--failover-repeats" => options with { FailoverRepeats = value },
                "--session-timeout-ms" => options with { SessionTimeout = TimeSpan.FromMilliseconds(Math.Max(1000, value)) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}
