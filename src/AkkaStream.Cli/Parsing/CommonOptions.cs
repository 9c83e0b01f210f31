using System.CommandLine;
using System.Globalization;
using System.Numerics;
using AkkaStream.Client.Configuration;
using AkkaStream.Records.Errors;

namespace AkkaStream.Cli.Parsing;

/// <summary>Options several commands share; a malformed value is a parse error (exit code 2).</summary>
public static class CommonOptions
{
    /// <summary>The single-node broker's Akka.Remote endpoint.</summary>
    public const string DefaultBootstrap = "127.0.0.1:2552";

    /// <summary><c>--bootstrap host:port,…</c> (Kafka's <c>--bootstrap-server</c> is an alias).</summary>
    public static Option<IReadOnlyList<string>> Bootstrap() => new("--bootstrap", "--bootstrap-server")
    {
        Description = $"Comma-separated Akka.Remote endpoints (host:port) of brokers",
        Arity = ArgumentArity.ExactlyOne,
        DefaultValueFactory = _ => [DefaultBootstrap],
        CustomParser = result =>
        {
            var entries = BootstrapAddress.SplitList(result.Tokens.Count == 0 ? "" : result.Tokens[0].Value);
            if (entries.Count == 0)
            {
                result.AddError("--bootstrap needs at least one host:port");
            }
            foreach (var entry in entries)
            {
                try
                {
                    BootstrapAddress.ToGatewayPath(entry);
                }
                catch (AkkaStreamException e)
                {
                    result.AddError(e.Message);
                }
            }
            return entries;
        },
    };

    /// <summary><c>--topic T</c>, required.</summary>
    public static Option<string> Topic(string description = "The topic") => new("--topic")
    {
        Description = description,
        Required = true,
    };

    /// <summary>A repeatable <c>key=value</c> option such as <c>--config</c> or <c>--property</c>.</summary>
    public static Option<IReadOnlyDictionary<string, string>> KeyValueList(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => new Dictionary<string, string>(),
        CustomParser = result =>
        {
            if (!KeyValues.TryParseAll(result.Tokens.Select(t => t.Value), out var pairs, out var error))
            {
                result.AddError($"{name}: {error}");
            }
            return pairs;
        },
    };

    /// <summary>An optional whole number that must be at least <paramref name="minimum"/>.</summary>
    public static Option<T?> AtLeast<T>(string name, T minimum, string description)
        where T : struct, INumber<T> => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            if (!T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"{name} must be a whole number, not '{text}'");
                return null;
            }
            if (value < minimum)
            {
                result.AddError($"{name} must be at least {minimum}");
            }
            return value;
        },
    };
}
