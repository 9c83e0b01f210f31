namespace AkkaStream.Broker.Configuration;

/// <summary>
/// The HTTP listener's settings (<c>akkastream.http</c>): the web console, <c>/metrics</c> and the
/// health endpoints. The broker only publishes the address with its cluster membership
/// (<see cref="Role"/>); the listener is run by AkkaStream.Web. Immutable.
/// </summary>
/// <param name="Port">0 picks a free port when the listener binds.</param>
/// <param name="PublicHost">The host other brokers and browsers use: <paramref name="Host"/> unless set.</param>
/// <param name="PublicPort">0 until known: the bound port, set by the host that binds before the broker starts.</param>
public sealed record HttpListenerOptions(bool Enabled, string Host, int Port, string PublicHost, int PublicPort)
{
    /// <summary>The prefix of the cluster role that carries a broker's HTTP address.</summary>
    public const string RolePrefix = "http-listener=";

    /// <summary>The role to publish, or null while there is nothing to publish.</summary>
    public string? Role => Enabled && PublicPort > 0 ? AddressRole.Format(RolePrefix, PublicHost, PublicPort) : null;

    /// <summary>Reads the HTTP address a member's roles publish; false when it has no HTTP listener.</summary>
    public static bool TryParseRole(IEnumerable<string> roles, out string host, out int port) =>
        AddressRole.TryParse(roles, RolePrefix, out host, out port);
}
