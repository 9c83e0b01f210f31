using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers.Groups;

/// <summary>
/// JoinGroup (11), v0-v6, onto <see cref="JoinGroupRequest"/>. v0 has no rebalance timeout and uses
/// the session timeout for it, as Kafka does; from v4 a first join without a member id is answered
/// MEMBER_ID_REQUIRED with one; v5 brings the group instance id (static membership). A join waits
/// until the group's other members have joined too, which may rightly take the whole rebalance
/// timeout (a Kafka consumer's max.poll.interval.ms, minutes by default), so the ask is bounded by
/// that timeout plus a margin rather than by the ask timeout. The member's client id is the request
/// header's and its host the connection's, as Kafka records them. Stateless, so thread-safe.
/// </summary>
public sealed class JoinGroupHandler : IKafkaApiHandler
{
    /// <summary>Beyond the rebalance timeout, for the coordinator's answer to travel back (Kafka's own clients allow 5 s).</summary>
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(5);

    public ApiKey Key => ApiKey.JoinGroup;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var body = request.Body;
        var version = request.Header.ApiVersion;
        var sessionTimeoutMs = body.Get<int>("SessionTimeoutMs");
        var rebalanceTimeoutMs = version == 0 ? sessionTimeoutMs : body.Get<int>("RebalanceTimeoutMs");
        var join = new JoinGroupRequest(
            body.Get<string>("GroupId"),
            body.Get<string>("MemberId"),
            body.Get<string?>("GroupInstanceId"),
            body.Get<string>("ProtocolType"),
            [.. MessageFields.Structs(body, "Protocols").Select(p => new GroupProtocol(p.Get<string>("Name"), p.Get<byte[]>("Metadata")))],
            sessionTimeoutMs,
            rebalanceTimeoutMs,
            RequireKnownMemberId: version >= 4,
            ClientId: request.Header.ClientId ?? "",
            ClientHost: context.ClientHost);
        // At most int.MaxValue ms (about 24 days), the longest wait an ask can be given; a bad (negative) timeout waits only the margin.
        var timeout = TimeSpan.FromMilliseconds(Math.Min(Math.Max(0, rebalanceTimeoutMs) + AnswerMargin.TotalMilliseconds, int.MaxValue));
        var joined = await context.AskGroupAsync<JoinGroupResponse>(join, timeout, cancellation).ConfigureAwait(false);

        var memberSchema = request.Api.Response.ElementOf("Members");
        return request.Api.Response.NewDefault()
            .With("ErrorCode", (short)joined.Error)
            .With("GenerationId", joined.GenerationId)
            .With("ProtocolName", joined.ProtocolName ?? "")
            .With("Leader", joined.Leader)
            .With("MemberId", joined.MemberId)
            .With("Members", joined.Members.Select(m => (object?)memberSchema.NewDefault()
                .With("MemberId", m.MemberId)
                .With("GroupInstanceId", m.GroupInstanceId)
                .With("Metadata", m.Metadata)).ToArray());
    }
}
