using AkkaStream.Records.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// <c>GET /api/groups</c> (every group, its protocol and state) and <c>GET /api/groups/{group}</c>
/// (its members with their client ids and hosts, their partitions, and per partition the committed offset, log end and lag), from
/// the actor client's admin: the same requests and lag computation as <c>akkastream groups describe</c>.
/// </summary>
internal static class GroupsApi
{
    public sealed record MemberView(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, IReadOnlyList<string> Assigned);

    public sealed record LagView(string Topic, int Partition, string? MemberId, long? CommittedOffset, long LogEndOffset, long? Lag);

    public sealed record GroupView(string GroupId, string State, string ProtocolType, string ProtocolName, long TotalLag,
        IReadOnlyList<MemberView> Members, IReadOnlyList<LagView> Partitions);

    public static void Map(IEndpointRouteBuilder routes, ConsoleContext console)
    {
        routes.MapGet("/api/groups", (CancellationToken cancel) => console.Run(async (_, client, ct) =>
            Results.Json(await client.Admin.ListGroupsAsync(ct).ConfigureAwait(false)), cancel));
        routes.MapGet("/api/groups/{group}", (string group, CancellationToken cancel) => console.Run(async (_, client, ct) =>
        {
            var described = await client.Admin.DescribeConsumerGroupAsync(group, ct).ConfigureAwait(false);
            if (described.State == "Dead" && described.Partitions.Count == 0)
            {
                return ApiError.Result(ErrorCode.GroupIdNotFound, $"there is no group '{group}'");
            }
            return Results.Json(new GroupView(described.GroupId, described.State, described.ProtocolType, described.ProtocolName,
                described.Partitions.Sum(p => p.Lag ?? 0),
                described.Members.Select(m => new MemberView(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.Assigned.Select(tp => tp.ToString()).ToArray())).ToArray(),
                described.Partitions.Select(p => new LagView(p.Partition.Topic, p.Partition.Partition, p.MemberId, p.CommittedOffset, p.LogEndOffset, p.Lag)).ToArray()));
        }, cancel));
    }
}
