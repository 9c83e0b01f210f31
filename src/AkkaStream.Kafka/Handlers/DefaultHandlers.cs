using AkkaStream.Kafka.Handlers.Groups;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// The handler of every API a broker serves, registered in one place (one line per API). A test
/// checks that every API of <c>SupportedApis.Default</c> is here.
/// </summary>
public static class DefaultHandlers
{
    public static KafkaApiHandlers Create() => new(
    [
        new ProduceHandler(),
        new FetchHandler(),
        new ListOffsetsHandler(),
        new MetadataHandler(),
        new OffsetCommitHandler(),
        new OffsetFetchHandler(),
        new FindCoordinatorHandler(),
        new JoinGroupHandler(),
        new HeartbeatHandler(),
        new LeaveGroupHandler(),
        new SyncGroupHandler(),
        new DescribeGroupsHandler(),
        new ListGroupsHandler(),
        new DeleteGroupsHandler(),
        new ApiVersionsHandler(),
        new InitProducerIdHandler(),
        new OffsetForLeaderEpochHandler(),
        new CreateTopicsHandler(),
        new DeleteTopicsHandler(),
        new CreatePartitionsHandler(),
        new DescribeConfigsHandler(),
        new AlterConfigsHandler(),
        new IncrementalAlterConfigsHandler(),
        new DeleteRecordsHandler(),
        new DescribeClusterHandler(),
    ]);
}
