using System.Globalization;
using Akka.Cluster;
using AkkaStream.Broker.Configuration;
using AkkaStream.Broker.Controller;

namespace AkkaStream.Broker.Membership;

/// <summary>
/// Finds the member an operator names: a broker id (<c>3</c>), a full address
/// (<c>akka.tcp://akkastream@10.0.0.3:2552</c>) or <c>host:port</c>. Thread-safe (stateless).
/// </summary>
public static class MemberTarget
{
    /// <summary>The matching member of <paramref name="members"/>, or null.</summary>
    public static Member? Find(IEnumerable<Member> members, string target)
    {
        var text = target.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var brokerId))
        {
            var role = BrokerSettings.RoleFor(brokerId);
            return members.FirstOrDefault(m => m.HasRole(role));
        }
        return members.FirstOrDefault(m => m.Address.ToString() == text || $"{m.Address.Host}:{m.Address.Port}" == text);
    }

    /// <summary>The broker id in a member's roles; -1 for a member that is not a broker.</summary>
    public static int BrokerIdOf(Member member) => ControllerActor.BrokerIdOf(member) ?? -1;
}
