using System.Globalization;

namespace AkkaStream.Broker.Configuration;

/// <summary>
/// A cluster role that carries a network address (<c>&lt;prefix&gt;&lt;host&gt;:&lt;port&gt;</c>): how a broker
/// publishes the addresses of its listeners with its membership, so that any node can find every
/// other node's listeners without asking it. Thread-safe (stateless).
/// </summary>
public static class AddressRole
{
    public static string Format(string prefix, string host, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{host}:{port}");

    /// <summary>Reads the address of the first role with <paramref name="prefix"/>; false when there is none.</summary>
    public static bool TryParse(IEnumerable<string> roles, string prefix, out string host, out int port)
    {
        foreach (var role in roles)
        {
            if (!role.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var address = role.AsSpan(prefix.Length);
            var colon = address.LastIndexOf(':');
            if (colon > 0 && int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port))
            {
                host = address[..colon].ToString();
                return true;
            }
        }
        host = "";
        port = 0;
        return false;
    }
}
