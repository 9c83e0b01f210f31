using AkkaStream.Cli.Formatting;
using AkkaStream.Client.Admin;
using AkkaStream.Records.Ids;

namespace AkkaStream.Cli.Tests.Formatting;

public sealed class GroupDescriptionTests
{
    private static readonly ConsumerGroupDescription Billing = new("billing", "Stable", "consumer", "range",
    [
        new GroupMemberDescription("m-2", "host-b", "billing-b", "/10.0.0.2", [new TopicPartition("orders", 1)]),
        new GroupMemberDescription("m-1", null, "", "", [new TopicPartition("payments", 0), new TopicPartition("orders", 2), new TopicPartition("orders", 0)]),
    ],
    [
        new GroupPartitionLag(new TopicPartition("orders", 0), "m-1", 40, 45, 5),
        new GroupPartitionLag(new TopicPartition("orders", 1), "m-2", null, 12, null),
        new GroupPartitionLag(new TopicPartition("orders", 9), null, 7, 7, 0),
    ]);

    [Fact]
    public void Describe_prints_the_state_then_a_row_per_partition_with_dashes_where_nothing_is_known()
    {
        Assert.Equal("Group: billing\tState: Stable\tProtocol: consumer/range\tMembers: 2", GroupDescription.StateLine(Billing));
        Assert.Equal(
        [
            "GROUP    TOPIC   PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID",
            "billing  orders  0          40              45              5    m-1",
            "billing  orders  1          -               12              -    m-2",
            "billing  orders  9          7               7               0    -",
        ], GroupDescription.Offsets(Billing));
    }

    [Fact]
    public void Members_show_their_host_client_id_and_assignment_grouped_by_topic_in_order()
    {
        Assert.Equal(
        [
            "GROUP    CONSUMER-ID  GROUP-INSTANCE-ID  HOST       CLIENT-ID  #PARTITIONS  ASSIGNMENT",
            "billing  m-1          -                  -          -          3            orders(0,2),payments(0)",
            "billing  m-2          host-b             /10.0.0.2  billing-b  1            orders(1)",
        ], GroupDescription.Members(Billing));
    }

    [Fact]
    public void An_empty_group_has_a_header_and_no_rows()
    {
        var empty = new ConsumerGroupDescription("idle", "Empty", "", "", [], []);

        Assert.Equal("Group: idle\tState: Empty\tProtocol: -\tMembers: 0", GroupDescription.StateLine(empty));
        Assert.Equal(["GROUP  TOPIC  PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID"], GroupDescription.Offsets(empty));
    }

    [Fact]
    public void A_reset_plan_shows_the_offset_before_and_after()
    {
        PlannedOffset[] plan = [new(new TopicPartition("orders", 0), 40, 0), new(new TopicPartition("orders", 1), null, 12)];

        Assert.Equal(
        [
            "GROUP    TOPIC   PARTITION  CURRENT-OFFSET  NEW-OFFSET",
            "billing  orders  0          40              0",
            "billing  orders  1          -               12",
        ], GroupDescription.Plan("billing", plan));
    }
}
