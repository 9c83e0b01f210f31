using System.Globalization;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Configuration;

/// <summary>Turns a bootstrap entry (<c>host:port</c>, or a full actor path) into a gateway path.</summary>
public static class BootstrapAddress
{
    public static string ToGatewayPath(string entry)
    {
        var trimmed = entry.Trim();
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            return trimmed;
        }
        var colon = trimmed.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(trimmed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
        {
            throw new AkkaStreamException(ErrorCode.InvalidConfig, $"bootstrap server '{entry}' is not host:port");
        }
        return Gateway.PathFor(trimmed[..colon], port);
    }

    /// <summary>Splits a comma-separated list, as command lines give it.</summary>
    public static IReadOnlyList<string> SplitList(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
