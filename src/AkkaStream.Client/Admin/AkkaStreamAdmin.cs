using AkkaStream.Client.Internal;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;

namespace AkkaStream.Client.Admin;

/// <summary>
/// Topic and cluster administration (Kafka's Admin client). Every method sends one request to a
/// broker's gateway (which hands topic changes to the controller) and throws
/// <see cref="AkkaStreamException"/> carrying the Kafka error code when the broker refuses.
/// Thread-safe.
/// </summary>
public sealed partial class AkkaStreamAdmin
{
    private static readonly IReadOnlyDictionary<string, string> NoConfigs = new Dictionary<string, string>();

    private readonly GatewayRequests _requests;

    internal AkkaStreamAdmin(GatewayRequests requests) => _requests = requests;

    /// <summary>Creates a topic; -1 partitions or replication factor take the broker's defaults.</summary>
    public Task<CreateTopicResponse> CreateTopicAsync(
        string name,
        int partitions = -1,
        short replicationFactor = -1,
        IReadOnlyDictionary<string, string>? configs = null,
        bool validateOnly = false,
        CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<CreateTopicResponse>(
            new CreateTopicRequest(name, partitions, replicationFactor, configs ?? NoConfigs, validateOnly), cancellationToken);

    public Task<DeleteTopicResponse> DeleteTopicAsync(string name, CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<DeleteTopicResponse>(new DeleteTopicRequest(name), cancellationToken);

    /// <summary>Raises the topic's partition count to <paramref name="totalCount"/>.</summary>
    public Task<CreatePartitionsResponse> CreatePartitionsAsync(string name, int totalCount, bool validateOnly = false, CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<CreatePartitionsResponse>(new CreatePartitionsRequest(name, totalCount, validateOnly), cancellationToken);

    /// <summary>Sets and removes topic settings (Kafka's incremental alter configs).</summary>
    public Task<AlterConfigsResponse> AlterConfigsAsync(
        string name,
        IReadOnlyDictionary<string, string> set,
        IReadOnlyList<string>? delete = null,
        bool validateOnly = false,
        CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<AlterConfigsResponse>(new AlterConfigsRequest(name, set, delete ?? [], validateOnly), cancellationToken);

    /// <summary>
    /// Moves leadership back to the preferred replica of each partition of <paramref name="topics"/>
    /// (every topic when null) where it is live and in sync (Kafka's preferred leader election).
    /// </summary>
    public Task<ElectLeadersResponse> ElectLeadersAsync(IReadOnlyList<string>? topics = null, CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<ElectLeadersResponse>(new ElectLeadersRequest(topics), cancellationToken);

    /// <summary>
    /// Moves a partition to <paramref name="replicas"/> (preferred leader first): they catch up, then
    /// the other replicas are removed. Returns once the controller accepted the reassignment; see
    /// <see cref="ListPartitionReassignmentsAsync"/> for its progress.
    /// </summary>
    public Task<AlterPartitionReassignmentsResponse> AlterPartitionReassignmentsAsync(
        string topic, int partition, IReadOnlyList<int> replicas, CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<AlterPartitionReassignmentsResponse>(new AlterPartitionReassignmentsRequest(topic, partition, replicas), cancellationToken);

    /// <summary>
    /// Cancels the reassignment of a partition (Kafka's AlterPartitionReassignments with no
    /// replicas): it goes back to the replicas it had before, and the replicas the reassignment
    /// added are removed, their logs deleted. <c>NoReassignmentInProgress</c> when there is none.
    /// </summary>
    public Task<AlterPartitionReassignmentsResponse> CancelPartitionReassignmentAsync(
        string topic, int partition, CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<AlterPartitionReassignmentsResponse>(AlterPartitionReassignmentsRequest.Cancel(topic, partition), cancellationToken);

    /// <summary>The reassignments in progress of <paramref name="topics"/> (every topic when null).</summary>
    public async Task<IReadOnlyList<OngoingReassignment>> ListPartitionReassignmentsAsync(
        IReadOnlyList<string>? topics = null, CancellationToken cancellationToken = default) =>
        (await _requests.AskAnyAsync<ListPartitionReassignmentsResponse>(new ListPartitionReassignmentsRequest(topics), cancellationToken)
            .ConfigureAwait(false)).Reassignments;

    public async Task<IReadOnlyList<ConfigEntry>> DescribeConfigsAsync(string name, CancellationToken cancellationToken = default) =>
        (await _requests.AskAnyAsync<DescribeConfigsResponse>(new DescribeConfigsRequest(name), cancellationToken).ConfigureAwait(false)).Entries;

    public Task<DescribeClusterResponse> DescribeClusterAsync(CancellationToken cancellationToken = default) =>
        _requests.AskAnyAsync<DescribeClusterResponse>(DescribeClusterRequest.Instance, cancellationToken);

    /// <summary>The names of every topic.</summary>
    public async Task<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        var metadata = await _requests.AskAnyAsync<MetadataResponse>(MetadataRequest.AllTopics, cancellationToken).ConfigureAwait(false);
        return metadata.Topics.Where(t => t.Error == ErrorCode.None).Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Describes the named topics; a topic that does not exist throws with its error (UnknownTopicOrPartition).</summary>
    public async Task<IReadOnlyList<TopicMetadata>> DescribeTopicsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        var metadata = await _requests.AskAnyAsync<MetadataResponse>(new MetadataRequest(names), cancellationToken).ConfigureAwait(false);
        var result = new List<TopicMetadata>(names.Count);
        foreach (var name in names)
        {
            var topic = metadata.Topics.FirstOrDefault(t => t.Name == name);
            if (topic is null || topic.Error != ErrorCode.None)
            {
                var error = topic?.Error ?? ErrorCode.UnknownTopicOrPartition;
                throw new AkkaStreamException(error, $"topic {name}: {error}");
            }
            result.Add(topic);
        }
        return result;
    }

    /// <summary>Deletes the records of a partition below <paramref name="offset"/>; returns the new log start offset.</summary>
    public async Task<long> DeleteRecordsAsync(TopicPartition tp, long offset, CancellationToken cancellationToken = default) =>
        (await _requests.AskLeaderAsync<DeleteRecordsResponse>(tp, _ => new DeleteRecordsRequest(tp.Topic, tp.Partition, offset), cancellationToken)
            .ConfigureAwait(false)).LowWatermark;
}
