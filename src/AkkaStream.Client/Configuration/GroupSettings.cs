using Akka.Configuration;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Configuration;

/// <summary>
/// The group consumer's settings, read from <c>akkastream.client.consumer</c> beside the fetch
/// settings (their Kafka names in reference.conf). Immutable.
/// </summary>
public sealed record GroupSettings(
    string GroupId,
    IReadOnlyList<string> PartitionAssignmentStrategy,
    TimeSpan SessionTimeout,
    TimeSpan HeartbeatInterval,
    TimeSpan MaxPollInterval,
    bool EnableAutoCommit,
    TimeSpan AutoCommitInterval,
    string? GroupInstanceId)
{
    public static GroupSettings Create(Config c)
    {
        var settings = new GroupSettings(
            GroupId: c.GetString("group-id", "") ?? "",
            PartitionAssignmentStrategy: c.GetStringList("partition-assignment-strategy").ToArray(),
            SessionTimeout: c.GetTimeSpan("session-timeout"),
            HeartbeatInterval: c.GetTimeSpan("heartbeat-interval"),
            MaxPollInterval: c.GetTimeSpan("max-poll-interval"),
            EnableAutoCommit: c.GetBoolean("enable-auto-commit"),
            AutoCommitInterval: c.GetTimeSpan("auto-commit-interval"),
            GroupInstanceId: c.GetString("group-instance-id", "") is { Length: > 0 } id ? id : null);
        settings.Validate();
        return settings;
    }

    /// <summary>Refuses settings Kafka's consumer refuses too, with InvalidConfig.</summary>
    public void Validate()
    {
        if (PartitionAssignmentStrategy.Count == 0)
        {
            throw new AkkaStreamException(ErrorCode.InvalidConfig, "partition-assignment-strategy names no assignor");
        }
        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval >= SessionTimeout)
        {
            throw new AkkaStreamException(ErrorCode.InvalidConfig,
                $"heartbeat-interval ({HeartbeatInterval}) must be positive and lower than session-timeout ({SessionTimeout})");
        }
        if (MaxPollInterval <= TimeSpan.Zero || AutoCommitInterval <= TimeSpan.Zero)
        {
            throw new AkkaStreamException(ErrorCode.InvalidConfig, "max-poll-interval and auto-commit-interval must be positive");
        }
    }
}
