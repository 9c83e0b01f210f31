using System.Diagnostics.CodeAnalysis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Apis;

/// <summary>
/// The one table of what the broker serves: each API with the range of versions it advertises.
/// ApiVersions answers from it and the request decoder refuses anything outside it. Every version
/// between the lowest and highest is served: clients such as kafka-python pick versions from a
/// guessed broker release, not from the advertised range, so a gap would break them.
/// Immutable and thread-safe.
/// </summary>
public sealed class SupportedApis
{
    /// <summary>The ranges AkkaStream serves: the proven minimal surface real clients need.</summary>
    public static readonly SupportedApis Default = new(
    [
        new(ProduceApi.Declaration, "3-8"),
        new(FetchApi.Declaration, "4-11"),
        new(ListOffsetsApi.Declaration, "0-5"),
        new(MetadataApi.Declaration, "0-8"),
        new(OffsetCommitApi.Declaration, "0-8"),
        new(OffsetFetchApi.Declaration, "0-7"),
        new(FindCoordinatorApi.Declaration, "0-3"),
        new(JoinGroupApi.Declaration, "0-6"),
        new(HeartbeatApi.Declaration, "0-4"),
        new(LeaveGroupApi.Declaration, "0-4"),
        new(SyncGroupApi.Declaration, "0-4"),
        new(DescribeGroupsApi.Declaration, "0-5"),
        new(ListGroupsApi.Declaration, "0-4"),
        new(ApiVersionsApi.Declaration, "0-3"),
        new(CreateTopicsApi.Declaration, "0-6"),
        new(DeleteTopicsApi.Declaration, "0-5"),
        new(DeleteRecordsApi.Declaration, "0-1"),
        new(InitProducerIdApi.Declaration, "0-3"),
        new(OffsetForLeaderEpochApi.Declaration, "0-3"),
        new(DescribeConfigsApi.Declaration, "0-4"),
        new(AlterConfigsApi.Declaration, "0-1"),
        new(CreatePartitionsApi.Declaration, "0-2"),
        new(DeleteGroupsApi.Declaration, "0-2"),
        new(IncrementalAlterConfigsApi.Declaration, "0-1"),
        new(DescribeClusterApi.Declaration, "0"),
    ]);

    private readonly Dictionary<ApiKey, SupportedApi> _byKey;

    public SupportedApis(IReadOnlyList<SupportedApi> apis)
    {
        foreach (var api in apis)
        {
            if (api.Range.IsEmpty || api.Range.Lowest < api.Api.Declared.Lowest || api.Range.Highest > api.Api.Declared.Highest)
            {
                throw new ArgumentException($"{api.Api.Key} {api.Range} is outside its declaration ({api.Api.Declared})");
            }
        }
        All = apis.OrderBy(a => (short)a.Api.Key).ToList();
        _byKey = All.ToDictionary(a => a.Api.Key);
    }

    /// <summary>In api key order, the order ApiVersions lists them.</summary>
    public IReadOnlyList<SupportedApi> All { get; }

    public bool TryGet(ApiKey key, [NotNullWhen(true)] out SupportedApi? api) => _byKey.TryGetValue(key, out api);
}

/// <summary>One API and the versions of it the broker advertises.</summary>
public sealed record SupportedApi(ApiDeclaration Api, Versions Range);
