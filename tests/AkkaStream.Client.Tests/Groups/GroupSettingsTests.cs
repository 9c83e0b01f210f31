using Akka.Configuration;
using AkkaStream.Client.Configuration;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Tests.Groups;

/// <summary>The group consumer's settings under akkastream.client.consumer: Kafka's defaults, overrides, and refusals.</summary>
public sealed class GroupSettingsTests
{
    private static GroupSettings Parse(string hocon) => ClientSettings.Create(ConfigurationFactory.ParseString(hocon)).Consumer.Group;

    [Fact]
    public void Defaults_are_kafkas()
    {
        var group = Parse("");

        Assert.Equal("", group.GroupId);
        Assert.Equal(["range", "cooperative-sticky"], group.PartitionAssignmentStrategy);
        Assert.Equal((TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(5)), (group.SessionTimeout, group.HeartbeatInterval, group.MaxPollInterval));
        Assert.Equal((true, TimeSpan.FromSeconds(5)), (group.EnableAutoCommit, group.AutoCommitInterval));
        Assert.Null(group.GroupInstanceId);
    }

    [Fact]
    public void Every_setting_can_be_overridden()
    {
        var group = Parse("""
            akkastream.client.consumer {
              group-id = orders-app
              partition-assignment-strategy = [cooperative-sticky]
              session-timeout = 3s
              heartbeat-interval = 300ms
              max-poll-interval = 20s
              enable-auto-commit = off
              auto-commit-interval = 1s
              group-instance-id = host-7
            }
            """);

        IReadOnlyList<string> strategy = ["cooperative-sticky"];
        var expected = new GroupSettings("orders-app", strategy, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(300),
            TimeSpan.FromSeconds(20), false, TimeSpan.FromSeconds(1), "host-7");

        Assert.Equal(strategy, group.PartitionAssignmentStrategy);
        Assert.Equal(expected, group with { PartitionAssignmentStrategy = strategy });
    }

    [Theory]
    [InlineData("akkastream.client.consumer.heartbeat-interval = 60s")]
    [InlineData("akkastream.client.consumer.partition-assignment-strategy = []")]
    [InlineData("akkastream.client.consumer.max-poll-interval = 0s")]
    public void Settings_kafka_refuses_are_refused_as_invalid_config(string hocon)
    {
        var e = Assert.Throws<AkkaStreamException>(() => Parse(hocon));
        Assert.Equal(ErrorCode.InvalidConfig, e.Code);
    }

    [Fact]
    public void A_group_consumer_needs_a_group_id_and_known_assignors()
    {
        var settings = ClientSettings.Create();
        Assert.Equal(ErrorCode.InvalidGroupId, Assert.Throws<AkkaStreamException>(() => Client.Groups.GroupConsumerActor.Props(settings, Akka.Actor.ActorRefs.Nobody, "")).Code);
        var unknown = settings with { Consumer = settings.Consumer with { Group = settings.Consumer.Group with { PartitionAssignmentStrategy = ["sticky"] } } };
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Throws<AkkaStreamException>(() => Client.Groups.GroupConsumerActor.Props(unknown, Akka.Actor.ActorRefs.Nobody, "g")).Code);
    }
}
