using System.Globalization;
using AkkaStream.Records.Errors;
using Microsoft.AspNetCore.Http;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// Reads the console API's numbers from route and query strings itself, rather than through
/// ASP.NET Core's binding (which answers garbage with an empty 400): a bad value gets the Kafka
/// error code <see cref="ErrorCode.InvalidRequest"/> (or the one given) and a message naming it.
/// </summary>
internal static class QueryValues
{
    /// <summary>Parses <paramref name="text"/> as a whole number in [min, max]; <paramref name="fallback"/> when absent.</summary>
    public static bool TryLong(string? text, string name, long fallback, long min, long max, out long value, out IResult? error,
        ErrorCode outOfRange = ErrorCode.InvalidRequest)
    {
        error = null;
        value = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = ApiError.Result(ErrorCode.InvalidRequest, $"{name} must be a whole number, not '{text}'");
            return false;
        }
        if (value < min || value > max)
        {
            error = ApiError.Result(outOfRange, $"{name} must be between {min} and {max}, not {value}");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Parses a time as milliseconds since the Unix epoch or as an ISO-8601 date and time (UTC unless
    /// it names its offset); null when absent.
    /// </summary>
    public static bool TryTimestamp(string? text, string name, out long? value, out IResult? error)
    {
        error = null;
        value = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
        {
            value = ms;
        }
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            value = time.ToUnixTimeMilliseconds();
        }
        else
        {
            error = ApiError.Result(ErrorCode.InvalidTimestamp, $"{name} must be milliseconds since the Unix epoch or an ISO-8601 time, not '{text}'");
            return false;
        }
        if (value < 0)
        {
            error = ApiError.Result(ErrorCode.InvalidTimestamp, $"{name} must not be before 1970, not {value}");
            return false;
        }
        return true;
    }
}
