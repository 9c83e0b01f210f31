using System.Globalization;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Where clients find brokers: every broker runs an ActorSystem named <see cref="SystemName"/> with
/// a gateway actor at <c>/user/gateway</c>, which takes every request of this protocol.
/// </summary>
public static class Gateway
{
    public const string SystemName = "akkastream";
    public const string ActorName = "gateway";

    /// <summary>The gateway's path on the broker whose Akka.Remote endpoint is host:port.</summary>
    public static string PathFor(string host, int port) =>
        $"akka.tcp://{SystemName}@{host}:{port.ToString(CultureInfo.InvariantCulture)}/user/{ActorName}";
}
