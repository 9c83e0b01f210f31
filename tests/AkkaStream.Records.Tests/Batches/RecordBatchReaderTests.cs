using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Tests.TestSupport;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Tests.Batches;

public sealed class RecordBatchReaderTests
{
    [Fact]
    public void Foreach_and_TryReadNext_see_the_same_records()
    {
        var batch = RecordBatchBuilderTests.SampleBatch(30);
        var viaForeach = DecodedRecord.ReadAll(batch);

        var viaTry = new List<DecodedRecord>();
        using var reader = new RecordBatchReader(batch);
        while (reader.TryReadNext(out var record))
        {
            viaTry.Add(DecodedRecord.From(record));
        }
        Assert.Equal(30, viaForeach.Count);
        Assert.Equal(viaForeach, viaTry);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), viaTry.Select(r => r.Offset));
    }

    [Fact]
    public void Foreach_starts_where_the_reader_stands_and_does_not_move_it()
    {
        var batch = RecordBatchBuilderTests.SampleBatch(5);
        using var reader = new RecordBatchReader(batch);
        Assert.True(reader.TryReadNext(out _));
        Assert.True(reader.TryReadNext(out _));

        var offsets = new List<long>();
        foreach (var record in reader)
        {
            offsets.Add(record.Offset);
        }
        Assert.Equal([2L, 3L, 4L], offsets);
        Assert.Equal(2, reader.RecordsRead);
        Assert.True(reader.TryReadNext(out var next));
        Assert.Equal(2, next.Offset);
    }

    [Fact]
    public void Reading_an_uncompressed_batch_allocates_nothing()
    {
        var batch = RecordBatchBuilderTests.SampleBatch(200);
        static long Walk(byte[] bytes)
        {
            long sum = 0;
            using var reader = new RecordBatchReader(bytes);
            foreach (var record in reader)
            {
                sum += record.Offset + record.Key.Length + record.Value.Length;
                foreach (var header in record.Headers)
                {
                    sum += header.Key.Length + header.Value.Length;
                }
            }
            return sum;
        }
        Walk(batch); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = Walk(batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(sum > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Offsets_shift_with_the_base_offset()
    {
        var batch = RecordBatchBuilderTests.SampleBatch(3);
        RecordBatch.SetBaseOffset(batch, 10_000_000_000);
        Assert.Equal([10_000_000_000L, 10_000_000_001L, 10_000_000_002L], DecodedRecord.ReadAll(batch).Select(r => r.Offset));
    }

    [Fact]
    public void Offset_delta_gaps_left_by_compaction_are_accepted()
    {
        var records = BatchAssembler.SplitRecords(RecordBatchBuilderTests.SampleBatch(6));
        // Keep the records at deltas 1, 4 and 5 of a batch whose last offset delta stays 7.
        var kept = records[1].Concat(records[4]).Concat(records[5]).ToArray();
        var batch = BatchAssembler.Assemble(kept, recordsCount: 3, lastOffsetDelta: 7, baseOffset: 100);

        Assert.Equal(ErrorCode.None, RecordBatch.Validate(batch, out _));
        Assert.Equal([101L, 104L, 105L], DecodedRecord.ReadAll(batch).Select(r => r.Offset));
    }

    [Fact]
    public void A_batch_emptied_by_compaction_has_no_records()
    {
        var batch = BatchAssembler.Assemble([], recordsCount: 0, lastOffsetDelta: 4);
        Assert.Equal(0, BatchAssembler.Drain(batch));
    }

    [Fact]
    public void An_empty_batch_marked_compressed_is_not_handed_to_the_codec()
    {
        var batch = BatchAssembler.Assemble([], recordsCount: 0, lastOffsetDelta: 2, attributes: BatchAttributes.Create(CompressionType.Zstd));
        Assert.Equal(0, BatchAssembler.Drain(batch));
    }

    [Fact]
    public void Offset_deltas_out_of_order_are_refused()
    {
        var records = BatchAssembler.SplitRecords(RecordBatchBuilderTests.SampleBatch(3));
        var swapped = records[1].Concat(records[0]).ToArray();
        var batch = BatchAssembler.Assemble(swapped, recordsCount: 2, lastOffsetDelta: 2);
        Assert.Throws<CorruptRecordException>(() => BatchAssembler.Drain(batch));

        var repeated = records[1].Concat(records[1]).ToArray();
        batch = BatchAssembler.Assemble(repeated, recordsCount: 2, lastOffsetDelta: 2);
        Assert.Throws<CorruptRecordException>(() => BatchAssembler.Drain(batch));
    }

    [Fact]
    public void Offset_delta_past_the_last_offset_delta_is_refused()
    {
        var records = BatchAssembler.SplitRecords(RecordBatchBuilderTests.SampleBatch(3));
        var section = records[0].Concat(records[2]).ToArray();
        var batch = BatchAssembler.Assemble(section, recordsCount: 2, lastOffsetDelta: 1);
        Assert.Throws<CorruptRecordException>(() => BatchAssembler.Drain(batch));
    }

    [Theory]
    [InlineData(5, "more records declared than present")]
    [InlineData(3, "bytes left after the declared records")]
    public void Record_count_must_match_the_records(int declared, string what)
    {
        var records = BatchAssembler.SplitRecords(RecordBatchBuilderTests.SampleBatch(4));
        var section = records.SelectMany(r => r).ToArray();
        var batch = BatchAssembler.Assemble(section, recordsCount: declared, lastOffsetDelta: 9);
        var error = Assert.Throws<CorruptRecordException>(() => BatchAssembler.Drain(batch));
        Assert.Contains("records", error.Message);
        Assert.NotEmpty(what);
    }

    [Fact]
    public void More_records_than_offsets_is_refused()
    {
        var section = BatchAssembler.SplitRecords(RecordBatchBuilderTests.SampleBatch(4)).SelectMany(r => r).ToArray();
        var batch = BatchAssembler.Assemble(section, recordsCount: 4, lastOffsetDelta: 2);
        Assert.Throws<CorruptRecordException>(() => new RecordBatchReader(batch).Dispose());
    }

    [Fact]
    public void The_span_must_be_exactly_one_batch()
    {
        var batch = RecordBatchBuilderTests.SampleBatch(3);
        var longer = batch.Concat(new byte[5]).ToArray();
        Assert.Throws<CorruptRecordException>(() => new RecordBatchReader(longer).Dispose());
        Assert.Throws<CorruptRecordException>(() => new RecordBatchReader(batch.AsSpan(0, batch.Length - 1)).Dispose());
        Assert.Throws<CorruptRecordException>(() => new RecordBatchReader(batch.AsSpan(0, HeaderSize - 1)).Dispose());
        Assert.Throws<CorruptRecordException>(() => new RecordBatchReader([]).Dispose());
    }

    [Fact]
    public void Other_magic_values_are_refused()
    {
        var batch = RecordBatchBuilderTests.SampleBatch(3);
        batch[MagicOffset] = 1;
        Assert.Throws<CorruptRecordException>(() => new RecordBatchReader(batch).Dispose());
    }

    [Fact]
    public void A_batch_length_near_int_max_is_refused_without_overflow()
    {
        var batch = RecordBatchBuilderTests.SampleBatch(1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(BatchLengthOffset), int.MaxValue - 3);
        Assert.Throws<CorruptRecordException>(() => new RecordBatchReader(batch).Dispose());
        Assert.Equal(ErrorCode.CorruptMessage, RecordBatch.Validate(batch, out _));
        var walk = new RecordBatchEnumerator(batch);
        Assert.False(walk.MoveNext());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Unknown_compression_codes_are_corrupt(int code)
    {
        var section = BatchAssembler.SplitRecords(RecordBatchBuilderTests.SampleBatch(2)).SelectMany(r => r).ToArray();
        var batch = BatchAssembler.Assemble(section, 2, 1, attributes: new BatchAttributes((short)code));
        Assert.Throws<CorruptRecordException>(() => new RecordBatchReader(batch).Dispose());
    }

    [Fact]
    public void A_compressed_batch_declaring_more_records_than_the_cap_allows_is_refused_before_decompressing()
    {
        var batch = BatchAssembler.Assemble(new byte[20], recordsCount: 1_000_000, lastOffsetDelta: 999_999,
            attributes: BatchAttributes.Create(CompressionType.Gzip));
        Assert.Throws<CorruptRecordException>(() => new RecordBatchReader(batch, maxDecompressedBytes: 1_000_000).Dispose());
    }

    [Fact]
    public void LogAppendTime_batches_report_the_append_time_for_every_record()
    {
        var batch = RecordBatchBuilderTests.SampleBatch(4);
        RecordBatch.SetLogAppendTime(batch, 9_999);
        Assert.All(DecodedRecord.ReadAll(batch), r => Assert.Equal(9_999, r.Timestamp));
    }
}
