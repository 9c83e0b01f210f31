using AkkaStream.Protocol.Messages;

namespace AkkaStream.Broker.Groups;

/// <summary>
/// The client a member runs in, as Kafka keeps it for DescribeGroups: the client id it gave and
/// the host it connects from (an IP address printed as Kafka prints it, <c>/127.0.0.1</c>). Both
/// come from the JoinGroup that made the member; empty when the client did not say.
/// </summary>
public sealed record GroupClient(string ClientId, string Host)
{
    public static readonly GroupClient Unknown = new("", "");

    public static GroupClient Of(JoinGroupRequest request) => new(request.ClientId, request.ClientHost);
}
