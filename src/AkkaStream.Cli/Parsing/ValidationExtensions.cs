using System.CommandLine;
using System.CommandLine.Parsing;

namespace AkkaStream.Cli.Parsing;

/// <summary>Helpers for command validators, which run even when an option's own value failed to parse.</summary>
internal static class ValidationExtensions
{
    /// <summary>
    /// The option's value, or default when the option itself failed to parse: its own error is
    /// already reported, and a validator must not fail again on it.
    /// </summary>
    public static T? ValueOrDefault<T>(this CommandResult result, Option<T> option)
    {
        try
        {
            return result.GetValue(option);
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }
}
