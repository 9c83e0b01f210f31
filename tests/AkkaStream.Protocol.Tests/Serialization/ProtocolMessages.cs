using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Tests.Serialization;

/// <summary>One sample of every protocol message, with every field set to something recognisable.</summary>
internal static class ProtocolMessages
{
    public static byte[] Bytes(int length, int seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static IEnumerable<object> DataPlane() =>
    [
        new ProduceRequest("orders", 3, Acks.All, 30_000, 7, Bytes(1000)),
        new ProduceRequest("o", 0, Acks.None, 0, -1, []),
        new ProduceResponse("orders", 3, ErrorCode.None, null, 42, -1, 0),
        ProduceResponse.Failed("orders", 3, ErrorCode.NotLeaderOrFollower, "the leader moved to broker 2"),
        new FetchRequest("orders", 3, 1234567890123, 1 << 20, 500, 1, 7),
        new FetchResponse("orders", 3, ErrorCode.None, null, 99, 5, Bytes(2000)),
        FetchResponse.Failed("orders", 3, ErrorCode.OffsetOutOfRange, "offset 3 is below the log start 5 — ünïcödé"),
    ];

    public static IEnumerable<object> Control() =>
    [
        new CreateTopicRequest("orders", 6, 3, new Dictionary<string, string> { ["retention.ms"] = "1000", ["cleanup.policy"] = "compact" }, true),
        new CreateTopicRequest("placed", -1, -1, new Dictionary<string, string>(), false, [[2, 1], [1, 2], [3, 1]]),
        new CreateTopicResponse("orders", ErrorCode.TopicAlreadyExists, "exists", Guid.NewGuid()),
        new CreateTopicResponse("orders", ErrorCode.None, null, Guid.NewGuid(), 6, 3, [new ConfigEntry("retention.ms", "1000", false)]),
        new DeleteTopicRequest("orders"),
        new DeleteTopicResponse("orders", ErrorCode.None, null),
        new CreatePartitionsRequest("orders", 12),
        new CreatePartitionsRequest("orders", 3, true, [[1, 2], [2, 3]]),
        new CreatePartitionsResponse("orders", ErrorCode.InvalidPartitions, "fewer"),
        new AlterConfigsRequest("orders", new Dictionary<string, string> { ["retention.ms"] = "5" }, ["cleanup.policy"]),
        new AlterConfigsRequest("orders", new Dictionary<string, string> { ["segment.bytes"] = "4096" }, [], true, ReplaceAll: true),
        new AlterConfigsResponse("orders", ErrorCode.InvalidConfig, "bad"),
        new DescribeConfigsRequest("orders"),
        new DescribeConfigsResponse("orders", ErrorCode.None, null, [new ConfigEntry("retention.ms", "5", false), new ConfigEntry("segment.bytes", "1073741824", true)]),
        new ElectLeadersRequest(["orders", "payments"]),
        new ElectLeadersRequest(null),
        new ElectLeadersResponse(ErrorCode.None, null, 3),
        new AlterPartitionReassignmentsRequest("orders", 2, new List<int> { 3, 2 }),
        AlterPartitionReassignmentsRequest.Cancel("orders", 2),
        new AlterPartitionReassignmentsResponse("orders", 2, ErrorCode.InvalidReplicaAssignment, "broker 9 is not live"),
        new ListPartitionReassignmentsRequest(["orders"]),
        new ListPartitionReassignmentsRequest(null),
        new ListPartitionReassignmentsResponse(ErrorCode.None, null, [new OngoingReassignment("orders", 2, [3, 2, 1], [3], [1])]),
        DescribeClusterRequest.Instance,
        InitProducerIdRequest.Instance,
        new InitProducerIdResponse(ErrorCode.None, null, 4001, 0),
        new InitProducerIdResponse(ErrorCode.RequestTimedOut, "the controller did not answer", -1, -1),
        new DescribeClusterResponse("cluster-1", 2, [new BrokerMetadata(1, Gateway.PathFor("10.0.0.1", 2552), "10.0.0.1", 9092)]),
        DescribeMembersRequest.Instance,
        new DescribeMembersResponse(ErrorCode.None, null, "akka.tcp://akkastream@10.0.0.2:2552", "akka.tcp://akkastream@10.0.0.1:2552",
            "akka.tcp://akkastream@10.0.0.1:2552", 1, "akka.tcp://akkastream@10.0.0.1:2552",
            [
                new ClusterMember("akka.tcp://akkastream@10.0.0.1:2552", "Up", ["broker", "broker-id-1"], 1, true, []),
                new ClusterMember("akka.tcp://akkastream@10.0.0.3:2552", "Up", ["broker", "broker-id-3"], 3, false, ["akka.tcp://akkastream@10.0.0.2:2552"]),
            ],
            [new RegionHosting("partition", "akka.tcp://akkastream@10.0.0.1:2552", 1, 4, 6)],
            ["group@akka.tcp://akkastream@10.0.0.3:2552"]),
        new LeaveMemberRequest("3"),
        new DownMemberRequest("akka.tcp://akkastream@10.0.0.3:2552", true),
        new MemberChangeResponse("3", "akka.tcp://akkastream@10.0.0.3:2552", ErrorCode.InvalidRequest, "reachable"),
        new DeleteRecordsRequest("orders", 1, 100),
        new DeleteRecordsResponse("orders", 1, ErrorCode.None, null, 100),
        new ListOffsetsRequest("orders", 1, ListOffsetsRequest.Earliest, 3),
        new ListOffsetsResponse("orders", 1, ErrorCode.None, null, 17, 3),
        new JoinGroupRequest("readers", "", "reader-1", "consumer", [new GroupProtocol("range", Bytes(40)), new GroupProtocol("roundrobin", [])], 10_000, 30_000, true,
            "billing-app", "/10.0.0.7"),
        new JoinGroupResponse(ErrorCode.None, null, 3, "consumer", "range", "m-1", "m-2", [new JoinGroupMember("m-1", null, Bytes(40)), new JoinGroupMember("m-2", "reader-1", [])]),
        new JoinGroupResponse(ErrorCode.MemberIdRequired, "join again with the member id", -1, null, null, "", "m-3", []),
        new SyncGroupRequest("readers", 3, "m-1", null, "consumer", "range", [new GroupAssignment("m-1", Bytes(20)), new GroupAssignment("m-2", Bytes(20, 9))]),
        new SyncGroupResponse(ErrorCode.None, null, "consumer", "range", Bytes(20)),
        new HeartbeatRequest("readers", 3, "m-1", null),
        new HeartbeatResponse(ErrorCode.RebalanceInProgress, "the group is rebalancing"),
        new LeaveGroupRequest("readers", [new LeavingMember("m-1", null), new LeavingMember("", "reader-1")]),
        new LeaveGroupResponse(ErrorCode.None, null, [new LeftMember("m-1", null, ErrorCode.None), new LeftMember("", "reader-1", ErrorCode.UnknownMemberId)]),
        new OffsetCommitRequest("readers", -1, "", null, [new OffsetCommitPartition("orders", 1, 42, 3, "checkpoint"), new OffsetCommitPartition("orders", 2, 7, -1, null)]),
        new OffsetCommitResponse(ErrorCode.None, null, [new OffsetCommitPartitionResult("orders", 1, ErrorCode.None), new OffsetCommitPartitionResult("orders", 2, ErrorCode.IllegalGeneration)]),
        new OffsetFetchRequest("readers", [new TopicPartitionRef("orders", 1)]),
        new OffsetFetchRequest("readers", null),
        new OffsetFetchResponse(ErrorCode.None, null, [new CommittedOffset("orders", 1, 42, 3, "checkpoint", 1_700_000_000_000, ErrorCode.None), new CommittedOffset("orders", 2, -1, -1, null, -1, ErrorCode.None)]),
        ListGroupsRequest.Instance,
        new ListGroupsResponse(ErrorCode.None, null, [new ListedGroup("readers", "consumer", "Stable")]),
        new DescribeGroupRequest("readers"),
        new DescribeGroupResponse("readers", ErrorCode.None, null, "Stable", "consumer", "range", [new DescribedMember("m-1", "reader-1", "billing-app", "/10.0.0.7", Bytes(40), Bytes(20))]),
        new DeleteGroupRequest("readers"),
        new DeleteGroupResponse("readers", ErrorCode.NonEmptyGroup, "the group has 2 members"),
        new FindCoordinatorRequest("readers"),
        new FindCoordinatorResponse("readers", ErrorCode.None, null, 2),
        MetadataRequest.AllTopics,
        new MetadataRequest(new List<string> { "orders", "payments" }),
        new MetadataResponse(
            "cluster-1",
            1,
            42,
            [new BrokerMetadata(1, Gateway.PathFor("127.0.0.1", 2552), "", 0)],
            [
                new TopicMetadata("orders", Guid.NewGuid(), ErrorCode.None,
                [
                    new PartitionMetadata(0, ErrorCode.None, 1, 4, [1, 2, 3], [1, 2]),
                    new PartitionMetadata(1, ErrorCode.LeaderNotAvailable, -1, 4, new List<int> { 2, 3 }, Array.Empty<int>()),
                ]),
                new TopicMetadata("gone", Guid.Empty, ErrorCode.UnknownTopicOrPartition, []),
            ]),
    ];
}
