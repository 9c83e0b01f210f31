using System.Buffers.Binary;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Tests.TestSupport;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Tests.Batches;

/// <summary>
/// Batches written out by hand from the format's specification, field by field. The builder must
/// produce exactly these bytes and the reader must decode them to the records they were written
/// from. Each CRC was computed bit by bit from the CRC-32C definition over bytes 21..end, and is
/// checked again here against <see cref="ReferenceCrc32C"/>.
/// </summary>
public sealed class RecordBatchVectorTests
{
    private static readonly byte[] Hello = "hello"u8.ToArray();
    private static readonly byte[] World = "world"u8.ToArray();

    // Two records, plain producer: the first with a null key, the second with one header.
    // Timestamps 1700000000000 (0x0000018BCFE56800) and 1700000000005.
    internal const string TwoRecordsHex = """
        0000000000000000   // baseOffset 0
        0000004f           // batchLength 79 = 91 - 12
        ffffffff           // partitionLeaderEpoch -1
        02                 // magic 2
        d5856486           // crc (CRC-32C of bytes 21..90)
        0000               // attributes: no compression, CreateTime, not transactional, not control
        00000001           // lastOffsetDelta 1
        0000018bcfe56800   // baseTimestamp 1700000000000 (the first record's)
        0000018bcfe56805   // maxTimestamp 1700000000005
        ffffffffffffffff   // producerId -1
        ffff               // producerEpoch -1
        ffffffff           // baseSequence -1
        00000002           // recordsCount 2
        // record 0
        16                 //   length 11 (zig-zag: 22)
        00                 //   attributes
        00                 //   timestampDelta 0
        00                 //   offsetDelta 0
        01                 //   keyLength -1: null key
        0a 68656c6c6f      //   valueLength 5, "hello"
        00                 //   headersCount 0
        // record 1
        22                 //   length 17 (zig-zag: 34)
        00                 //   attributes
        0a                 //   timestampDelta 5
        02                 //   offsetDelta 1
        04 6b31            //   keyLength 2, "k1"
        0a 776f726c64      //   valueLength 5, "world"
        02                 //   headersCount 1
        02 68              //     header key length 1, "h"
        02 78              //     header value length 1, "x"
        """;

    // As a Kafka client sends an idempotent produce: producer id, epoch and sequence set, CreateTime,
    // headers. The second record is older than the first (negative timestamp delta), has an empty
    // (not null) value, and a header with a null value. Timestamp 1717171717171 = 0x0000018FCF690433.
    internal const string ClientBatchHex = """
        0000000000000000   // baseOffset 0 (the leader assigns the real one)
        00000064           // batchLength 100 = 112 - 12
        ffffffff           // partitionLeaderEpoch -1 (the leader stamps it)
        02                 // magic 2
        9a661d73           // crc
        0000               // attributes: no compression, CreateTime
        00000001           // lastOffsetDelta 1
        0000018fcf690433   // baseTimestamp 1717171717171
        0000018fcf690433   // maxTimestamp 1717171717171 (the first record is the newest)
        0000000000000fa0   // producerId 4000
        0003               // producerEpoch 3
        00000011           // baseSequence 17
        00000002           // recordsCount 2
        // record 0
        3a                 //   length 29
        00                 //   attributes
        00                 //   timestampDelta 0
        00                 //   offsetDelta 0
        0e 757365722d3432  //   keyLength 7, "user-42"
        0a 636c69636b      //   valueLength 5, "click"
        02                 //   headersCount 1
        0a 7472616365      //     header key length 5, "trace"
        08 61623132        //     header value length 4, "ab12"
        // record 1
        28                 //   length 20
        00                 //   attributes
        8d01               //   timestampDelta -71 (zig-zag 141: two bytes)
        02                 //   offsetDelta 1
        0c 757365722d37    //   keyLength 6, "user-7"
        00                 //   valueLength 0: empty, not null
        02                 //   headersCount 1
        0a 7265747279      //     header key length 5, "retry"
        01                 //     header value length -1: null
        """;

    // A transaction coordinator's COMMIT marker as the leader stores it: transactional and control,
    // one record whose key is (version 0, type 1 = COMMIT) and whose value is (version 0,
    // coordinatorEpoch 5). Control batches carry no sequence. Timestamp 1717171720000 = 0x0000018FCF690F40.
    internal const string CommitMarkerHex = """
        0000000000000039   // baseOffset 57
        00000042           // batchLength 66 = 78 - 12
        00000007           // partitionLeaderEpoch 7
        02                 // magic 2
        d124e4be           // crc
        0030               // attributes: isTransactional (bit 4) and isControl (bit 5)
        00000000           // lastOffsetDelta 0
        0000018fcf690f40   // baseTimestamp 1717171720000
        0000018fcf690f40   // maxTimestamp 1717171720000
        0000000000000fa0   // producerId 4000
        0003               // producerEpoch 3
        ffffffff           // baseSequence -1
        00000001           // recordsCount 1
        // record 0
        20                 //   length 16
        00                 //   attributes
        00                 //   timestampDelta 0
        00                 //   offsetDelta 0
        08 00000001        //   keyLength 4: version 0, type 1 (COMMIT)
        0c 000000000005    //   valueLength 6: version 0, coordinatorEpoch 5
        00                 //   headersCount 0
        """;

    public static TheoryData<string> AllVectors => [TwoRecordsHex, ClientBatchHex, CommitMarkerHex];

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Stored_crc_is_the_crc32c_of_attributes_to_end(string hex)
    {
        var batch = Hex.Parse(hex);
        var stored = BinaryPrimitives.ReadUInt32BigEndian(batch.AsSpan(CrcOffset));
        Assert.Equal(ReferenceCrc32C.Compute(batch.AsSpan(AttributesOffset)), stored);
        Assert.Equal(ErrorCode.None, RecordBatch.Validate(batch, out var reason));
        Assert.Null(reason);
    }

    [Fact]
    public void Builder_writes_the_two_record_batch_byte_for_byte()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1700000000000, null, Hello);
        builder.Append(1700000000005, "k1"u8, World, new RecordHeaderData("h", "x"u8.ToArray()));

        Assert.Equal(Convert.ToHexString(Hex.Parse(TwoRecordsHex)), Convert.ToHexString(builder.Build()));
    }

    [Fact]
    public void Reader_decodes_the_two_record_batch()
    {
        var batch = Hex.Parse(TwoRecordsHex);
        using var reader = new RecordBatchReader(batch);
        Assert.Equal(2, reader.Header.RecordsCount);

        Assert.True(reader.TryReadNext(out var first));
        Assert.Equal(0, first.Offset);
        Assert.Equal(1700000000000, first.Timestamp);
        Assert.True(first.IsKeyNull);
        Assert.True(first.Key.IsEmpty);
        Assert.False(first.IsValueNull);
        Assert.Equal(Hello, first.Value.ToArray());
        Assert.Equal(0, first.HeaderCount);
        Assert.Equal(12, first.SizeInBytes);

        Assert.True(reader.TryReadNext(out var second));
        Assert.Equal(1, second.Offset);
        Assert.Equal(1700000000005, second.Timestamp);
        Assert.Equal("k1"u8.ToArray(), second.Key.ToArray());
        Assert.Equal(World, second.Value.ToArray());
        var headers = second.Headers;
        Assert.True(headers.MoveNext());
        Assert.Equal("h", headers.Current.KeyAsString());
        Assert.Equal("x"u8.ToArray(), headers.Current.Value.ToArray());
        Assert.False(headers.Current.IsValueNull);
        Assert.False(headers.MoveNext());

        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(2, reader.RecordsRead);
    }

    [Fact]
    public void Builder_writes_the_client_batch_byte_for_byte()
    {
        using var builder = new RecordBatchBuilder
        {
            ProducerId = 4000,
            ProducerEpoch = 3,
            BaseSequence = 17,
        };
        builder.Append(1717171717171, "user-42"u8, "click"u8, new RecordHeaderData("trace", "ab12"u8.ToArray()));
        builder.Append(1717171717100, "user-7"u8, ReadOnlySpan<byte>.Empty, RecordHeaderData.WithNullValue("retry"));

        Assert.Equal(Convert.ToHexString(Hex.Parse(ClientBatchHex)), Convert.ToHexString(builder.Build()));
    }

    [Fact]
    public void Reader_decodes_the_client_batch()
    {
        var batch = Hex.Parse(ClientBatchHex);
        using var reader = new RecordBatchReader(batch);
        Assert.Equal(4000, reader.Header.ProducerId);
        Assert.Equal((short)3, reader.Header.ProducerEpoch);
        Assert.Equal(17, reader.Header.BaseSequence);
        Assert.Equal(TimestampType.CreateTime, reader.Header.Attributes.TimestampType);

        var records = DecodedRecord.ReadAll(batch);
        Assert.Equal(
            [
                new DecodedRecord(0, 1717171717171, "user-42"u8.ToArray(), "click"u8.ToArray(), [new DecodedHeader("trace", "ab12"u8.ToArray())]),
                new DecodedRecord(1, 1717171717100, "user-7"u8.ToArray(), [], [new DecodedHeader("retry", null)]),
            ],
            records);
    }

    [Fact]
    public void Builder_writes_the_commit_marker_byte_for_byte()
    {
        using var builder = new RecordBatchBuilder
        {
            BaseOffset = 57,
            PartitionLeaderEpoch = 7,
            ProducerId = 4000,
            ProducerEpoch = 3,
            IsTransactional = true,
            IsControl = true,
        };
        Span<byte> key = stackalloc byte[ControlRecords.KeySize];
        ControlRecords.WriteKey(key, ControlRecordType.Commit);
        Span<byte> value = stackalloc byte[ControlRecords.EndTransactionMarkerSize];
        ControlRecords.WriteEndTransactionMarker(value, coordinatorEpoch: 5);
        builder.Append(1717171720000, key, value);

        Assert.Equal(Convert.ToHexString(Hex.Parse(CommitMarkerHex)), Convert.ToHexString(builder.Build()));
    }

    [Fact]
    public void Reader_walks_the_commit_marker_like_any_batch()
    {
        var batch = Hex.Parse(CommitMarkerHex);
        using var reader = new RecordBatchReader(batch);
        Assert.True(reader.Header.Attributes.IsControl);
        Assert.True(reader.Header.Attributes.IsTransactional);
        Assert.Equal(CompressionType.None, reader.Header.Attributes.Compression);

        Assert.True(reader.TryReadNext(out var marker));
        Assert.Equal(57, marker.Offset);
        Assert.Equal(1717171720000, marker.Timestamp);
        Assert.True(ControlRecords.TryReadKey(marker.Key, out var keyVersion, out var type));
        Assert.Equal((short)0, keyVersion);
        Assert.Equal(ControlRecordType.Commit, type);
        Assert.True(ControlRecords.TryReadEndTransactionMarker(marker.Value, out var markerVersion, out var coordinatorEpoch));
        Assert.Equal((short)0, markerVersion);
        Assert.Equal(5, coordinatorEpoch);
        Assert.False(reader.TryReadNext(out _));
    }
}
