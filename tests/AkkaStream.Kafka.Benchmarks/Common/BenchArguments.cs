using System.Globalization;
using System.Numerics;

namespace AkkaStream.Benchmarks;

/// <summary>The command-line handling the benchmark programs share: help, refusal with the usage, and bounded numbers.</summary>
internal static class BenchArguments
{
    /// <summary>The options <paramref name="parse"/> makes of <paramref name="args"/>, or null after printing <paramref name="usage"/> (asked for, or with the reason the arguments were refused).</summary>
    public static T? Parse<T>(string[] args, string usage, Func<string[], T> parse) where T : class
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(usage);
            return null;
        }
        try
        {
            return parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(usage);
            return null;
        }
    }

    /// <summary>The number <paramref name="text"/> says, refused below <paramref name="minimum"/>.</summary>
    public static T AtLeast<T>(T minimum, string text, string option) where T : INumber<T>
    {
        var value = T.Parse(text, CultureInfo.InvariantCulture);
        return value >= minimum ? value : throw new ArgumentException($"{option} must be at least {minimum}, not {text}");
    }
}
