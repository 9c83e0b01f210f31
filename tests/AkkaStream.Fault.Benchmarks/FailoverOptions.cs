namespace AkkaStream.Fault.Benchmarks;

/// <summary>The benchmark's command line.</summary>
internal sealed record FailoverOptions(int Repeats, TimeSpan GiveUpAfter, IReadOnlyList<string> BrokerOverrides)
{
    public const string Usage = """
        dotnet run -c Release --project tests/AkkaStream.Fault.Benchmarks -- [--repeats N] [--give-up-after SECONDS] [--set key=value ...]
          --repeats N              kills of each kind (default 3)
          --give-up-after SECONDS  a failover not done by then counts as none (default 40)
          --set key=value          a broker setting on top of hocon/node-<i>.conf, to try other timings (repeatable)
        """;

    public static FailoverOptions Parse(IReadOnlyList<string> args)
    {
        var repeats = 3;
        var giveUp = TimeSpan.FromSeconds(40);
        var overrides = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--repeats":
                    repeats = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
                    if (repeats < 1) throw new ArgumentException("--repeats must be at least 1");
                    break;
                case "--give-up-after":
                    giveUp = TimeSpan.FromSeconds(int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "--set":
                    overrides.Add(Value());
                    break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return new FailoverOptions(repeats, giveUp, overrides);
    }
}
