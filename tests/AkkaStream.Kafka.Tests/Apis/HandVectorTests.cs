using System.Buffers;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Codec;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Kafka.Tests.Apis;

/// <summary>
/// Byte vectors written by hand from the protocol's layout (docs/protocol.html and the message
/// definitions), field by field, for a representative set of APIs and versions: the codec must
/// decode each to the message beside it and encode that message back to the same bytes. These
/// catch what a round trip cannot: a declaration that is wrong in the same way both ways.
/// </summary>
public class HandVectorTests
{
    [Fact]
    public void ApiVersions_v0_request_is_a_v1_header_and_an_empty_body()
    {
        var frame = Hex.Bytes(
            "00 12",          // api_key 18 (ApiVersions)
            "00 00",          // api_version 0
            "00 00 00 07",    // correlation_id 7
            "00 01 63");      // client_id "c" (int16 length)
        var request = DecodeRequest(frame);
        Assert.Equal(new RequestHeader(ApiKey.ApiVersions, 0, 7, "c"), request.Header);
        Assert.Equal(ApiVersionsApi.Declaration.Request.NewDefault(), request.Body);
    }

    [Fact]
    public void ApiVersions_v3_request_has_a_v2_header_whose_client_id_stays_classic()
    {
        var frame = Hex.Bytes(
            "00 12", "00 03", "00 00 00 07",
            "00 01 63",       // client_id "c": still an int16 length in header v2
            "00",             // header tagged fields: none
            "02 6B",          // ClientSoftwareName: compact string, length 1 + 1, "k"
            "02 31",          // ClientSoftwareVersion: compact "1"
            "00");            // body tagged fields: none
        var request = DecodeRequest(frame);
        Assert.Equal(new RequestHeader(ApiKey.ApiVersions, 3, 7, "c"), request.Header);
        Assert.Equal("k", request.Body["ClientSoftwareName"]);
        Assert.Equal("1", request.Body["ClientSoftwareVersion"]);
    }

    [Fact]
    public void ApiVersions_v0_response()
    {
        var bytes = Hex.Bytes(
            "00 00",                      // ErrorCode 0
            "00 00 00 02",                // ApiKeys: int32 count 2
            "00 00", "00 03", "00 08",    //   Produce 3-8
            "00 12", "00 00", "00 03");   //   ApiVersions 0-3
        var message = ApiVersionsResponse(("Produce", 3, 8), ("ApiVersions", 0, 3));
        AssertVector(ApiVersionsApi.Declaration.Response, 0, flexible: false, bytes, message);
    }

    [Fact]
    public void ApiVersions_v3_response_frame_uses_response_header_v0_and_a_compact_body()
    {
        var message = ApiVersionsResponse(("Produce", 3, 8), ("ApiVersions", 0, 3));
        var expected = Hex.Bytes(
            "00 00 00 1A",                       // frame size 26
            "00 00 00 2A",                       // correlation_id 42; header v0: no tagged fields (KIP-511)
            "00 00",                             // ErrorCode 0
            "03",                                // ApiKeys: compact count 2 + 1
            "00 00", "00 03", "00 08", "00",     //   Produce 3-8, tagged fields none
            "00 12", "00 00", "00 03", "00",     //   ApiVersions 0-3, tagged fields none
            "00 00 00 00",                       // ThrottleTimeMs 0
            "00");                               // tagged fields: none (features left at their defaults)
        var output = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteResponse(output, ApiVersionsApi.Declaration, 3, correlationId: 42, message);
        Assert.Equal(Hex.Show(expected), Hex.Show(output.WrittenSpan));
    }

    [Fact]
    public void ApiVersions_v3_response_with_a_tagged_field_set_writes_it_in_the_tagged_section()
    {
        var bytes = Hex.Bytes(
            "00 00",                             // ErrorCode 0
            "01",                                // ApiKeys: compact, empty
            "00 00 00 00",                       // ThrottleTimeMs 0
            "01",                                // one tagged field
            "01", "08",                          //   tag 1 (FinalizedFeaturesEpoch), 8 bytes
            "00 00 00 00 00 00 00 05");          //   epoch 5
        var message = ApiVersionsApi.Declaration.Response.NewDefault().With("FinalizedFeaturesEpoch", 5L);
        AssertVector(ApiVersionsApi.Declaration.Response, 3, flexible: true, bytes, message);
    }

    [Fact]
    public void Metadata_v0_request_and_response()
    {
        var request = Hex.Bytes(
            "00 00 00 01",        // Topics: int32 count 1 (not nullable in v0)
            "00 03 66 6F 6F");    //   Name "foo"
        AssertVector(MetadataApi.Declaration.Request, 0, false, request,
            MetadataApi.Declaration.Request.NewDefault().With("Topics", Items(Topic(MetadataApi.Declaration.Request, "foo"))));

        var response = Hex.Bytes(
            "00 00 00 01",                     // Brokers: 1
            "00 00 00 01", "00 01 68", "00 00 23 84",   // NodeId 1, Host "h", Port 9092
            "00 00 00 01",                     // Topics: 1
            "00 00", "00 01 74",               //   ErrorCode 0, Name "t"
            "00 00 00 01",                     //   Partitions: 1
            "00 00", "00 00 00 00", "00 00 00 01",      // ErrorCode 0, PartitionIndex 0, LeaderId 1
            "00 00 00 01", "00 00 00 01",      //     ReplicaNodes [1]
            "00 00 00 01", "00 00 00 01");     //     IsrNodes [1]
        AssertVector(MetadataApi.Declaration.Response, 0, false, response, MetadataResponse(version: 0));
    }

    [Fact]
    public void Metadata_v8_request_and_response()
    {
        var request = Hex.Bytes(
            "FF FF FF FF",    // Topics: null (all topics; nullable from v1)
            "01",             // AllowAutoTopicCreation true
            "00",             // IncludeClusterAuthorizedOperations false
            "01");            // IncludeTopicAuthorizedOperations true
        AssertVector(MetadataApi.Declaration.Request, 8, false, request,
            MetadataApi.Declaration.Request.NewDefault().With("Topics", null).With("IncludeTopicAuthorizedOperations", true));

        var response = Hex.Bytes(
            "00 00 00 00",                     // ThrottleTimeMs 0
            "00 00 00 01",                     // Brokers: 1
            "00 00 00 01", "00 01 68", "00 00 23 84", "FF FF",  // NodeId 1, Host "h", Port 9092, Rack null
            "00 01 63",                        // ClusterId "c"
            "00 00 00 01",                     // ControllerId 1
            "00 00 00 01",                     // Topics: 1
            "00 00", "00 01 74", "00",         //   ErrorCode 0, Name "t", IsInternal false
            "00 00 00 01",                     //   Partitions: 1
            "00 00", "00 00 00 00", "00 00 00 01",      // ErrorCode 0, PartitionIndex 0, LeaderId 1
            "00 00 00 05",                     //     LeaderEpoch 5 (v7+)
            "00 00 00 01", "00 00 00 01",      //     ReplicaNodes [1]
            "00 00 00 01", "00 00 00 01",      //     IsrNodes [1]
            "00 00 00 00",                     //     OfflineReplicas [] (v5+)
            "80 00 00 00",                     //   TopicAuthorizedOperations: unset (int32 min, v8+)
            "80 00 00 00");                    // ClusterAuthorizedOperations: unset (v8+)
        AssertVector(MetadataApi.Declaration.Response, 8, false, response, MetadataResponse(version: 8));
    }

    [Fact]
    public void Metadata_stops_at_v8_because_v9_is_flexible()
    {
        Assert.True(SupportedApis.Default.TryGet(ApiKey.Metadata, out var metadata));
        Assert.Equal(8, metadata.Range.Highest);
        Assert.False(metadata.Api.IsFlexible(8));
        Assert.True(metadata.Api.IsFlexible(9));
    }

    [Fact]
    public void Produce_v3_and_v8_requests_share_one_layout()
    {
        var schema = ProduceApi.Declaration.Request;
        var v3 = Hex.Bytes(
            "FF FF",              // TransactionalId null
            "FF FF",              // Acks -1 (all in-sync replicas)
            "00 00 75 30",        // TimeoutMs 30000
            "00 00 00 01",        // Topics: 1
            "00 01 74",           //   Name "t"
            "00 00 00 01",        //   Partitions: 1
            "00 00 00 00",        //     PartitionIndex 0
            "00 00 00 03 01 02 03");   //  Records: int32 length 3, the bytes (opaque to the codec)
        AssertVector(schema, 3, false, v3, ProduceRequest(null));

        var v8 = Hex.Bytes("00 01 78", "FF FF", "00 00 75 30", "00 00 00 01", "00 01 74", "00 00 00 01", "00 00 00 00", "00 00 00 03 01 02 03");
        AssertVector(schema, 8, false, v8, ProduceRequest("x"));   // TransactionalId "x"
    }

    [Fact]
    public void Produce_v8_response_carries_record_errors_and_an_error_message()
    {
        var bytes = Hex.Bytes(
            "00 00 00 01", "00 01 74",         // Responses: 1, Name "t"
            "00 00 00 01",                     //   Partitions: 1
            "00 00 00 00",                     //     PartitionIndex 0
            "00 57",                           //     ErrorCode 87 (INVALID_RECORD)
            "FF FF FF FF FF FF FF FF",         //     BaseOffset -1
            "FF FF FF FF FF FF FF FF",         //     LogAppendTimeMs -1 (v2+)
            "00 00 00 00 00 00 00 00",         //     LogStartOffset 0 (v5+)
            "00 00 00 01",                     //     RecordErrors: 1 (v8+)
            "00 00 00 02", "FF FF",            //       BatchIndex 2, BatchIndexErrorMessage null
            "00 03 62 61 64",                  //     ErrorMessage "bad"
            "00 00 00 00");                    // ThrottleTimeMs 0
        var schema = ProduceApi.Declaration.Response;
        var topic = Element(schema, "Responses");
        var partition = Element(topic, "Partitions");
        var recordError = Element(partition, "RecordErrors").NewDefault().With("BatchIndex", 2);
        var message = schema.NewDefault().With("Responses", Items(topic.NewDefault().With("Name", "t").With("Partitions", Items(
            partition.NewDefault().With("ErrorCode", (short)87).With("BaseOffset", -1L).With("LogStartOffset", 0L)
                .With("RecordErrors", Items(recordError)).With("ErrorMessage", "bad")))));
        AssertVector(schema, 8, false, bytes, message);
    }

    [Fact]
    public void Fetch_v4_request()
    {
        var bytes = Hex.Bytes(
            "FF FF FF FF",            // ReplicaId -1 (a consumer)
            "00 00 01 F4",            // MaxWaitMs 500
            "00 00 00 01",            // MinBytes 1
            "00 10 00 00",            // MaxBytes 1 MiB (v3+)
            "01",                     // IsolationLevel 1 = read_committed (v4+)
            "00 00 00 01", "00 01 74",         // Topics: 1, Topic "t"
            "00 00 00 01",                     //   Partitions: 1
            "00 00 00 00",                     //     Partition 0
            "00 00 00 00 00 00 00 0A",         //     FetchOffset 10
            "00 10 00 00");                    //     PartitionMaxBytes 1 MiB
        AssertVector(FetchApi.Declaration.Request, 4, false, bytes, FetchRequest(version: 4));
    }

    [Fact]
    public void Fetch_v11_request()
    {
        var bytes = Hex.Bytes(
            "FF FF FF FF", "00 00 01 F4", "00 00 00 01", "00 10 00 00", "01",
            "00 00 00 00",            // SessionId 0 (v7+)
            "FF FF FF FF",            // SessionEpoch -1 (v7+)
            "00 00 00 01", "00 01 74", "00 00 00 01",
            "00 00 00 00",                     //     Partition 0
            "00 00 00 05",                     //     CurrentLeaderEpoch 5 (v9+)
            "00 00 00 00 00 00 00 0A",         //     FetchOffset 10
            "FF FF FF FF FF FF FF FF",         //     LogStartOffset -1 (v5+)
            "00 10 00 00",                     //     PartitionMaxBytes
            "00 00 00 00",            // ForgottenTopicsData: empty (v7+)
            "00 01 72");              // RackId "r" (v11+)
        AssertVector(FetchApi.Declaration.Request, 11, false, bytes, FetchRequest(version: 11));
    }

    [Fact]
    public void Fetch_v11_response()
    {
        var bytes = Hex.Bytes(
            "00 00 00 00",            // ThrottleTimeMs 0
            "00 00",                  // ErrorCode 0 (v7+)
            "00 00 00 00",            // SessionId 0 (v7+)
            "00 00 00 01", "00 01 74", "00 00 00 01",  // Responses: 1, Topic "t", Partitions: 1
            "00 00 00 00",                     //   PartitionIndex 0
            "00 00",                           //   ErrorCode 0
            "00 00 00 00 00 00 00 0B",         //   HighWatermark 11
            "00 00 00 00 00 00 00 0B",         //   LastStableOffset 11 (v4+)
            "00 00 00 00 00 00 00 00",         //   LogStartOffset 0 (v5+)
            "FF FF FF FF",                     //   AbortedTransactions null (v4+)
            "FF FF FF FF",                     //   PreferredReadReplica -1 (v11+)
            "00 00 00 02 AA BB");              //   Records: int32 length 2
        var schema = FetchApi.Declaration.Response;
        var topic = Element(schema, "Responses");
        var partition = Element(topic, "Partitions").NewDefault()
            .With("HighWatermark", 11L).With("LastStableOffset", 11L).With("LogStartOffset", 0L)
            .With("AbortedTransactions", null).With("Records", new byte[] { 0xAA, 0xBB });
        var message = schema.NewDefault().With("Responses", Items(topic.NewDefault().With("Topic", "t").With("Partitions", Items(partition))));
        AssertVector(schema, 11, false, bytes, message);
    }

    [Fact]
    public void CreateTopics_v5_request_is_compact_with_tagged_sections()
    {
        var bytes = Hex.Bytes(
            "02",                     // Topics: compact count 1 + 1
            "02 74",                  //   Name "t" (compact)
            "00 00 00 03",            //   NumPartitions 3
            "00 01",                  //   ReplicationFactor 1
            "01",                     //   Assignments: compact, empty
            "02",                     //   Configs: 1
            "0F 63 6C 65 61 6E 75 70 2E 70 6F 6C 69 63 79",  // Name "cleanup.policy" (14 + 1)
            "08 63 6F 6D 70 61 63 74",                       // Value "compact" (7 + 1)
            "00",                     //     config tagged fields: none
            "00",                     //   topic tagged fields: none
            "00 00 75 30",            // TimeoutMs 30000
            "00",                     // ValidateOnly false
            "00");                    // tagged fields: none
        var schema = CreateTopicsApi.Declaration.Request;
        var topic = Element(schema, "Topics");
        var config = Element(topic, "Configs").NewDefault().With("Name", "cleanup.policy").With("Value", "compact");
        var message = schema.NewDefault().With("TimeoutMs", 30000).With("Topics", Items(
            topic.NewDefault().With("Name", "t").With("NumPartitions", 3).With("ReplicationFactor", (short)1).With("Configs", Items(config))));
        AssertVector(schema, 5, true, bytes, message);
        AssertVector(schema, 6, true, bytes, message);   // v6 has the v5 layout
    }

    [Fact]
    public void CreateTopics_v6_response_puts_the_config_error_in_its_tagged_section()
    {
        var bytes = Hex.Bytes(
            "00 00 00 00",            // ThrottleTimeMs 0
            "02",                     // Topics: 1
            "02 74",                  //   Name "t"
            "00 00",                  //   ErrorCode 0
            "00",                     //   ErrorMessage null (compact)
            "00 00 00 03",            //   NumPartitions 3 (v5+)
            "00 01",                  //   ReplicationFactor 1 (v5+)
            "00",                     //   Configs null (v5+, nullable)
            "01", "00", "02", "00 1D",  // tagged: 1 field, tag 0 (TopicConfigErrorCode), 2 bytes, 29
            "00");                    // tagged fields: none
        var schema = CreateTopicsApi.Declaration.Response;
        var topic = Element(schema, "Topics").NewDefault().With("Name", "t").With("NumPartitions", 3)
            .With("ReplicationFactor", (short)1).With("Configs", null).With("TopicConfigErrorCode", (short)29);
        AssertVector(schema, 6, true, bytes, schema.NewDefault().With("Topics", Items(topic)));
    }

    [Fact]
    public void InitProducerId_v2_request_and_response_are_flexible()
    {
        var request = Hex.Bytes(
            "00",                     // TransactionalId null (compact: 0)
            "00 00 EA 60",            // TransactionTimeoutMs 60000
            "00");                    // tagged fields: none
        AssertVector(InitProducerIdApi.Declaration.Request, 2, true, request,
            InitProducerIdApi.Declaration.Request.NewDefault().With("TransactionTimeoutMs", 60000));

        var response = Hex.Bytes(
            "00 00 00 00",                     // ThrottleTimeMs 0
            "00 00",                           // ErrorCode 0
            "00 00 00 00 00 00 03 E8",         // ProducerId 1000
            "00 00",                           // ProducerEpoch 0
            "00");                             // tagged fields: none
        AssertVector(InitProducerIdApi.Declaration.Response, 2, true, response,
            InitProducerIdApi.Declaration.Response.NewDefault().With("ProducerId", 1000L));
    }

    [Fact]
    public void An_unknown_tag_is_skipped()
    {
        var bytes = Hex.Bytes("00", "00 00 EA 60",
            "01", "05", "03", "AA BB CC");    // one tagged field: tag 5 (unknown), 3 bytes
        Assert.True(MessageDecoder.TryDecode(bytes, InitProducerIdApi.Declaration.Request, 2, true, out var message, out var consumed, out var error), error);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(60000, message["TransactionTimeoutMs"]);
    }

    private static DecodedRequest DecodeRequest(byte[] frame)
    {
        var decoder = new RequestDecoder(SupportedApis.Default, NullLogger.Instance);
        Assert.True(decoder.TryDecode(frame, out var request, out _, out var rejection), rejection?.ToString());
        return request!;
    }

    private static void AssertVector(StructSchema schema, short version, bool flexible, byte[] bytes, MessageStruct expected)
    {
        Assert.True(MessageDecoder.TryDecode(bytes, schema, version, flexible, out var decoded, out var consumed, out var error), error);
        Assert.Equal(bytes.Length, consumed);
        Assert.True(expected.Equals(decoded), $"expected {expected}\nbut got  {decoded}");
        Assert.Equal(Hex.Show(bytes), Hex.Show(MessageEncoder.Encode(expected, version, flexible)));
    }

    private static MessageStruct ApiVersionsResponse(params (string Key, short Min, short Max)[] apis)
    {
        var schema = ApiVersionsApi.Declaration.Response;
        var element = Element(schema, "ApiKeys");
        return schema.NewDefault().With("ApiKeys", apis.Select(a => (object?)element.NewDefault()
            .With("ApiKey", (short)Enum.Parse<ApiKey>(a.Key)).With("MinVersion", a.Min).With("MaxVersion", a.Max)).ToArray());
    }

    private static MessageStruct MetadataResponse(short version)
    {
        var schema = MetadataApi.Declaration.Response;
        var broker = Element(schema, "Brokers").NewDefault().With("NodeId", 1).With("Host", "h").With("Port", 9092);
        var topic = Element(schema, "Topics");
        var partition = Element(topic, "Partitions").NewDefault().With("LeaderId", 1)
            .With("ReplicaNodes", Items(1)).With("IsrNodes", Items(1));
        var message = schema.NewDefault().With("Brokers", Items(broker));
        if (version >= 8)
        {
            partition.With("LeaderEpoch", 5);
            message.With("ClusterId", "c").With("ControllerId", 1);
        }
        return message.With("Topics", Items(topic.NewDefault().With("Name", "t").With("Partitions", Items(partition))));
    }

    private static MessageStruct ProduceRequest(string? transactionalId)
    {
        var schema = ProduceApi.Declaration.Request;
        var topic = Element(schema, "Topics");
        var partition = Element(topic, "Partitions").NewDefault().With("Records", new byte[] { 1, 2, 3 });
        return schema.NewDefault().With("TransactionalId", transactionalId).With("Acks", (short)-1).With("TimeoutMs", 30000)
            .With("Topics", Items(topic.NewDefault().With("Name", "t").With("Partitions", Items(partition))));
    }

    private static MessageStruct FetchRequest(short version)
    {
        var schema = FetchApi.Declaration.Request;
        var topic = Element(schema, "Topics");
        var partition = Element(topic, "Partitions").NewDefault().With("FetchOffset", 10L).With("PartitionMaxBytes", 1 << 20);
        if (version >= 9) partition.With("CurrentLeaderEpoch", 5);
        var message = schema.NewDefault().With("ReplicaId", -1).With("MaxWaitMs", 500).With("MinBytes", 1)
            .With("MaxBytes", 1 << 20).With("IsolationLevel", (sbyte)1)
            .With("Topics", Items(topic.NewDefault().With("Topic", "t").With("Partitions", Items(partition))));
        return version >= 11 ? message.With("RackId", "r") : message;
    }

    private static MessageStruct Topic(StructSchema request, string name) => Element(request, "Topics").NewDefault().With("Name", name);

    private static StructSchema Element(StructSchema schema, string arrayField) => schema.ElementOf(arrayField);

    private static object?[] Items(params object?[] items) => items;
}
