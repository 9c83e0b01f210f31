using System.Net;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// How a group member's host is written (<see cref="JoinGroupRequest.ClientHost"/>): as Kafka's
/// broker prints a client's address (Java's InetAddress without a resolved name), an IP address
/// after a slash, <c>/127.0.0.1</c>; an IPv4 address an IPv6 socket reports is written as IPv4.
/// Thread-safe (stateless).
/// </summary>
public static class ClientHosts
{
    /// <summary>The host of a connection's remote end point; empty when there is none.</summary>
    public static string Of(EndPoint? remote) => remote switch
    {
        IPEndPoint ip => Of(ip.Address),
        DnsEndPoint dns => dns.Host,
        _ => "",
    };

    public static string Of(IPAddress address) => "/" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>A host as an address names it (an Akka.Remote address, say): an IP address as <see cref="Of(IPAddress)"/>, a name as it is.</summary>
    public static string Of(string? host) =>
        string.IsNullOrEmpty(host) ? "" : IPAddress.TryParse(host, out var address) ? Of(address) : host;
}
