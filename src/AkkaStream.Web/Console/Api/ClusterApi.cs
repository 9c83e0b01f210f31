using System.Text.Json;
using Akka.Cluster;
using AkkaStream.Broker.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// <c>GET /api/cluster</c>: the members as this broker's cluster state sees them (status, roles,
/// reachability, the cluster leader, the oldest broker, which runs the controller singleton) and each
/// broker's health, asked of its own <c>/health/ready</c> through the HTTP address it publishes.
/// </summary>
internal static class ClusterApi
{
    public sealed record MemberView(
        int? BrokerId, string Address, string Status, IReadOnlyList<string> Roles, bool Reachable,
        bool IsController, bool IsOldest, bool IsLeader, bool IsSelf, string? Http, HealthView Health);

    /// <summary>A broker's readiness: ready, not-ready, starting, or unreachable (no answer within the peer timeout).</summary>
    public sealed record HealthView(string Status, int? HttpStatus, string? Detail);

    public sealed record ClusterView(string ClusterId, int SelfBrokerId, int ControllerId, string? Leader, string? Oldest, IReadOnlyList<MemberView> Members);

    public static void Map(IEndpointRouteBuilder routes, ConsoleContext console)
    {
        routes.MapGet("/api/cluster", (CancellationToken cancel) => console.Run(async (node, _, ct) =>
        {
            var members = ClusterMember.Of(node);
            var state = node.Cluster.State;
            var oldest = members.Where(m => m.BrokerId is not null && m.Member.Status == MemberStatus.Up)
                .Select(m => m.Member).Aggregate((Member?)null, (a, b) => a is null || b.IsOlderThan(a) ? b : a);
            var metadata = node.Metadata.Current;
            var health = await Task.WhenAll(members.Select(m => HealthOf(console, m, ct))).ConfigureAwait(false);
            var views = members.Select((m, i) => new MemberView(
                m.BrokerId, m.Member.Address.ToString(), m.Member.Status.ToString(), m.Member.Roles.Order(StringComparer.Ordinal).ToArray(),
                m.Reachable, m.BrokerId == metadata.ControllerId, m.Member.Equals(oldest), m.Member.Address.Equals(state.Leader),
                m.Member.Address.Equals(node.Cluster.SelfAddress), m.Http?.ToString(), health[i])).ToArray();
            return Results.Json(new ClusterView(metadata.ClusterId, node.Settings.BrokerId, metadata.ControllerId,
                state.Leader?.ToString(), oldest?.Address.ToString(), views));
        }, cancel));
    }

    private static async Task<HealthView> HealthOf(ConsoleContext console, ClusterMember member, CancellationToken cancellationToken)
    {
        if (member.Http is null) return new HealthView("no-listener", null, $"publishes no {HttpListenerOptions.RolePrefix} role");
        try
        {
            var (httpStatus, text) = await console.GetFromPeerAsync(member.Http, "/health/ready", cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(text);
            var body = document.RootElement;
            var status = body.TryGetProperty("status", out var s) ? s.GetString() ?? "unknown" : "unknown";
            var failed = body.TryGetProperty("checks", out var checks)
                ? string.Join("; ", checks.EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean())
                    .Select(c => $"{c.GetProperty("name").GetString()}: {c.GetProperty("detail").GetString()}"))
                : "";
            return new HealthView(status, (int)httpStatus, failed.Length == 0 ? null : failed);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return new HealthView("unreachable", null, e is OperationCanceledException ? $"no answer within {ConsoleContext.PeerTimeout.TotalSeconds:0} s" : e.Message);
        }
    }
}
