using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Tests.TestSupport;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Tests.Batches;

/// <summary>builder → <see cref="RecordBatch.Validate"/> → reader, for every codec of the format.</summary>
public sealed class CompressedRoundTripTests
{
    public static TheoryData<CompressionType> AllTypes =>
        [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    public static TheoryData<CompressionType> Codecs =>
        [CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Records_round_trip_through_every_compression_type(CompressionType type)
    {
        var expected = DecodedRecord.ReadAll(RecordBatchBuilderTests.SampleBatch(300));

        using var builder = new RecordBatchBuilder(type) { ProducerId = 8, ProducerEpoch = 0, BaseSequence = 0 };
        RecordBatchBuilderTests.AppendSampleRecords(builder, 300);
        var batch = builder.Build();

        Assert.Equal(ErrorCode.None, RecordBatch.Validate(batch, out var reason));
        Assert.Null(reason);
        Assert.True(RecordBatchHeader.TryRead(batch, out var header));
        Assert.Equal(type, header.Attributes.Compression);
        Assert.Equal(300, header.RecordsCount);
        Assert.Equal(299, header.LastOffsetDelta);
        Assert.Equal(expected, DecodedRecord.ReadAll(batch));
        if (type != CompressionType.None)
        {
            // The sample's JSON-like values repeat a lot: every codec must shrink them.
            Assert.True(batch.Length < builder.EstimatedSizeInBytes, $"{type}: {batch.Length} >= {builder.EstimatedSizeInBytes}");
        }
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Large_incompressible_values_round_trip(CompressionType type)
    {
        var random = new Random((int)type);
        var big = new byte[1_000_000];
        random.NextBytes(big);
        using var builder = new RecordBatchBuilder(type);
        builder.Append(1, "a"u8, big);
        builder.Append(2, null, big.AsSpan(0, 100_000), new RecordHeaderData("h", big.AsSpan(5, 50).ToArray()));
        var batch = builder.Build();

        Assert.Equal(ErrorCode.None, RecordBatch.Validate(batch, out _));
        var records = DecodedRecord.ReadAll(batch);
        Assert.Equal(big, records[0].Value);
        Assert.Equal(big.AsSpan(0, 100_000).ToArray(), records[1].Value);
        Assert.Equal(big.AsSpan(5, 50).ToArray(), records[1].Headers[0].Value);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void A_batch_can_be_recompressed_with_another_codec(CompressionType type)
    {
        var source = RecordBatchBuilderTests.SampleBatch(50, type);
        var target = type == CompressionType.Zstd ? CompressionType.Gzip : CompressionType.Zstd;
        using var builder = new RecordBatchBuilder(target);
        using (var reader = new RecordBatchReader(source))
        {
            foreach (var record in reader)
            {
                builder.Append(record);
            }
        }
        var recompressed = builder.Build();

        Assert.True(RecordBatchHeader.TryRead(recompressed, out var header));
        Assert.Equal(target, header.Attributes.Compression);
        Assert.Equal(DecodedRecord.ReadAll(source), DecodedRecord.ReadAll(recompressed));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Decompression_is_capped(CompressionType type)
    {
        using var builder = new RecordBatchBuilder(type);
        builder.Append(1, null, new byte[200_000]);
        var batch = builder.Build();

        Assert.Equal(1, BatchAssembler.Drain(batch, maxDecompressedBytes: 300_000));
        Assert.Throws<CorruptRecordException>(() => BatchAssembler.Drain(batch, maxDecompressedBytes: 100_000));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Damaged_compressed_records_behind_a_fixed_crc_give_corrupt_record_exception_only(CompressionType type)
    {
        var original = RecordBatchBuilderTests.SampleBatch(40, type);
        var random = new Random(17 + (int)type);
        for (var round = 0; round < 2_000; round++)
        {
            var batch = (byte[])original.Clone();
            var position = random.Next(HeaderSize, batch.Length);
            batch[position] ^= (byte)random.Next(1, 256);
            RecordBatch.WriteCrc(batch);
            try
            {
                BatchAssembler.Drain(batch);
            }
            catch (CorruptRecordException)
            {
            }
        }

        var cut = BatchAssembler.Assemble(original.AsSpan(HeaderSize, (original.Length - HeaderSize) / 2), 40, 39,
            attributes: BatchAttributes.Create(type));
        Assert.Throws<CorruptRecordException>(() => BatchAssembler.Drain(cut));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Leader_edits_keep_a_compressed_batch_valid(CompressionType type)
    {
        var batch = RecordBatchBuilderTests.SampleBatch(10, type);
        RecordBatch.SetBaseOffset(batch, 500);
        RecordBatch.SetPartitionLeaderEpoch(batch, 3);
        RecordBatch.SetLogAppendTime(batch, 123_456);

        Assert.Equal(ErrorCode.None, RecordBatch.Validate(batch, out _));
        var records = DecodedRecord.ReadAll(batch);
        Assert.Equal(Enumerable.Range(500, 10).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.All(records, r => Assert.Equal(123_456, r.Timestamp));
    }
}
