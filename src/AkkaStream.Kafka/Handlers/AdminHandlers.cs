namespace AkkaStream.Kafka.Handlers;

/// <summary>The handlers of the administration APIs, which map onto the controller (and, for DeleteRecords, the leaders).</summary>
public static class AdminHandlers
{
    public static IEnumerable<IKafkaApiHandler> All() =>
    [
        new CreateTopicsHandler(),
        new DeleteTopicsHandler(),
        new CreatePartitionsHandler(),
        new DescribeConfigsHandler(),
        new AlterConfigsHandler(),
        new IncrementalAlterConfigsHandler(),
        new DeleteRecordsHandler(),
        new DescribeClusterHandler(),
    ];
}
