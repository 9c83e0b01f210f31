using System.Buffers;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Compression;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Tests.TestSupport;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Tests.Batches;

public sealed class RecordBatchBuilderTests
{
    /// <summary>An uncompressed batch with varied records: null and empty keys and values, headers.</summary>
    internal static byte[] SampleBatch(int recordCount, CompressionType compression = CompressionType.None)
    {
        using var builder = new RecordBatchBuilder(compression) { BaseOffset = 0 };
        AppendSampleRecords(builder, recordCount);
        return builder.Build();
    }

    internal static void AppendSampleRecords(RecordBatchBuilder builder, int recordCount)
    {
        for (var i = 0; i < recordCount; i++)
        {
            var key = i % 4 == 0 ? null : System.Text.Encoding.UTF8.GetBytes($"key-{i}");
            var value = i % 5 == 0 ? null : System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"payload\":\"{new string('x', i % 7)}\"}}");
            if (i % 3 == 0)
            {
                builder.Append(1_000 + i, key, value, new RecordHeaderData("h", [(byte)i]), RecordHeaderData.WithNullValue("empty"));
            }
            else
            {
                builder.Append(1_000 + i, key, value);
            }
        }
    }

    [Fact]
    public void Header_fields_are_written_as_configured()
    {
        using var builder = new RecordBatchBuilder
        {
            BaseOffset = 1234,
            PartitionLeaderEpoch = 9,
            ProducerId = 77,
            ProducerEpoch = 2,
            BaseSequence = 300,
            IsTransactional = true,
            TimestampType = TimestampType.CreateTime,
        };
        builder.Append(500, "a"u8, "1"u8);
        builder.Append(400, "b"u8, "2"u8);
        builder.Append(700, "c"u8, "3"u8);
        var batch = builder.Build();

        Assert.Equal(ErrorCode.None, RecordBatch.Validate(batch, out _));
        Assert.True(RecordBatchHeader.TryRead(batch, out var header));
        Assert.Equal(1234, header.BaseOffset);
        Assert.Equal(9, header.PartitionLeaderEpoch);
        Assert.Equal(77, header.ProducerId);
        Assert.Equal((short)2, header.ProducerEpoch);
        Assert.Equal(300, header.BaseSequence);
        Assert.True(header.Attributes.IsTransactional);
        Assert.False(header.Attributes.IsControl);
        Assert.Equal(2, header.LastOffsetDelta);
        Assert.Equal(3, header.RecordsCount);
        Assert.Equal(500, header.BaseTimestamp);
        Assert.Equal(700, header.MaxTimestamp);
        Assert.Equal(batch.Length, header.SizeInBytes);

        var records = DecodedRecord.ReadAll(batch);
        Assert.Equal([1234L, 1235L, 1236L], records.Select(r => r.Offset));
        Assert.Equal([500L, 400L, 700L], records.Select(r => r.Timestamp));
    }

    [Fact]
    public void Defaults_are_those_of_a_plain_producer()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, null, null);
        Assert.True(RecordBatchHeader.TryRead(builder.Build(), out var header));
        Assert.Equal(0, header.BaseOffset);
        Assert.Equal(-1, header.PartitionLeaderEpoch);
        Assert.Equal(-1, header.ProducerId);
        Assert.Equal((short)-1, header.ProducerEpoch);
        Assert.Equal(-1, header.BaseSequence);
        Assert.Equal(new BatchAttributes(0), header.Attributes);
    }

    [Fact]
    public void Null_and_empty_keys_and_values_stay_apart()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, NullableBytes.Null, ReadOnlySpan<byte>.Empty);
        builder.Append(2, Array.Empty<byte>(), (byte[]?)null);
        builder.Append(3, default(NullableBytes), new NullableBytes([]));
        var records = DecodedRecord.ReadAll(builder.Build());

        Assert.Null(records[0].Key);
        Assert.Equal(Array.Empty<byte>(), records[0].Value);
        Assert.Equal(Array.Empty<byte>(), records[1].Key);
        Assert.Null(records[1].Value);
        Assert.Null(records[2].Key);
        Assert.Equal(Array.Empty<byte>(), records[2].Value);
    }

    [Fact]
    public void Header_values_can_be_null_or_empty()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, null, null,
            new RecordHeaderData("null-literal", null),
            new RecordHeaderData("null-array", (byte[]?)null),
            RecordHeaderData.WithNullValue("named"),
            new RecordHeaderData("empty", Array.Empty<byte>()),
            new RecordHeaderData("memory", new ReadOnlyMemory<byte>([1, 2, 3], 1, 2)),
            new RecordHeaderData("", [9]));
        var headers = DecodedRecord.ReadAll(builder.Build())[0].Headers;

        Assert.Equal(
            [
                new DecodedHeader("null-literal", null),
                new DecodedHeader("null-array", null),
                new DecodedHeader("named", null),
                new DecodedHeader("empty", []),
                new DecodedHeader("memory", [2, 3]),
                new DecodedHeader("", [9]),
            ],
            headers,
            (a, b) => a.Key == b.Key && (a.Value is null ? b.Value is null : b.Value is not null && a.Value.AsSpan().SequenceEqual(b.Value)));
    }

    [Fact]
    public void Base_timestamp_can_be_set_before_the_first_record_only()
    {
        using var builder = new RecordBatchBuilder { BaseTimestamp = 100 };
        builder.Append(150, "k"u8, "v"u8);
        Assert.Throws<InvalidOperationException>(() => builder.BaseTimestamp = 5);
        var batch = builder.Build();

        Assert.True(RecordBatchHeader.TryRead(batch, out var header));
        Assert.Equal(100, header.BaseTimestamp);
        using var reader = new RecordBatchReader(batch);
        Assert.True(reader.TryReadNext(out var record));
        Assert.Equal(50, record.TimestampDelta);
        Assert.Equal(150, record.Timestamp);
    }

    [Fact]
    public void Building_an_empty_batch_is_refused()
    {
        using var builder = new RecordBatchBuilder();
        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public void Unknown_compression_type_is_refused()
    {
        using var builder = new RecordBatchBuilder();
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Compression = (CompressionType)5);
    }

    [Fact]
    public void Building_into_a_buffer_writer_gives_the_same_bytes()
    {
        using var builder = new RecordBatchBuilder();
        AppendSampleRecords(builder, 10);
        var expected = builder.Build();

        var writer = new ArrayBufferWriter<byte>();
        writer.Write("prefix"u8);
        var size = builder.Build(writer);

        Assert.Equal(expected.Length, size);
        Assert.Equal(expected, writer.WrittenSpan[6..].ToArray());
    }

    [Fact]
    public void Build_does_not_consume_the_records()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, "a"u8, "1"u8);
        var once = builder.Build();
        Assert.Equal(once, builder.Build());

        builder.Append(2, "b"u8, "2"u8);
        var twice = builder.Build();
        Assert.Equal(2, DecodedRecord.ReadAll(twice).Count);
    }

    [Fact]
    public void Reset_empties_the_builder_and_keeps_its_settings()
    {
        using var fresh = new RecordBatchBuilder { ProducerId = 5, ProducerEpoch = 1, BaseSequence = 10 };
        AppendSampleRecords(fresh, 30);
        var expected = fresh.Build();

        using var reused = new RecordBatchBuilder { ProducerId = 5, ProducerEpoch = 1, BaseSequence = 10, BaseTimestamp = 1 };
        for (var i = 0; i < 500; i++)
        {
            reused.Append(i, new byte[100], new byte[1_000]);
        }
        reused.Build();
        reused.Reset();

        Assert.Equal(0, reused.RecordCount);
        Assert.Equal(HeaderSize, reused.EstimatedSizeInBytes);
        Assert.Null(reused.BaseTimestamp);
        Assert.Equal(5, reused.ProducerId);
        AppendSampleRecords(reused, 30);
        Assert.Equal(expected, reused.Build());
    }

    [Fact]
    public void Estimated_size_is_exact_without_compression()
    {
        using var builder = new RecordBatchBuilder();
        Assert.Equal(HeaderSize, builder.EstimatedSizeInBytes);
        for (var i = 1; i <= 50; i++)
        {
            builder.Append(i, new byte[i], new byte[3 * i], new RecordHeaderData("n", new byte[i % 3]));
            Assert.Equal(builder.Build().Length, builder.EstimatedSizeInBytes);
        }
    }

    [Fact]
    public void Batches_can_be_cut_at_a_target_size()
    {
        const int target = 16 * 1024;
        using var builder = new RecordBatchBuilder();
        var value = new byte[300];
        var appended = 0;
        while (builder.HasRoomFor(target, appended, "some-key"u8, value))
        {
            builder.Append(appended, "some-key"u8, value);
            appended++;
        }
        var batch = builder.Build();

        Assert.True(batch.Length <= target, $"{batch.Length} > {target}");
        Assert.True(batch.Length > target - 400, $"{batch.Length} leaves room for another record");
        Assert.Equal(appended, DecodedRecord.ReadAll(batch).Count);
    }

    [Fact]
    public void A_record_larger_than_the_target_still_fits_an_empty_builder()
    {
        using var builder = new RecordBatchBuilder();
        Assert.True(builder.HasRoomFor(100, 0, null, new byte[1_000]));
        builder.Append(0, null, new byte[1_000]);
        Assert.False(builder.HasRoomFor(100, 0, null, new byte[1]));
    }

    [Fact]
    public void Large_values_grow_the_pooled_buffers()
    {
        var big = new byte[3 * 1024 * 1024];
        new Random(3).NextBytes(big);
        using var builder = new RecordBatchBuilder();
        builder.Append(1, "small"u8, "v"u8);
        builder.Append(2, "big"u8, big);
        builder.Append(3, big.AsSpan(0, 70_000), null);
        var records = DecodedRecord.ReadAll(builder.Build());

        Assert.Equal(big, records[1].Value);
        Assert.Equal(big.AsSpan(0, 70_000).ToArray(), records[2].Key);
    }

    [Fact]
    public void Appending_decoded_records_copies_them_exactly()
    {
        var source = SampleBatch(25);
        using var copy = new RecordBatchBuilder { BaseOffset = 1_000 };
        using (var reader = new RecordBatchReader(source))
        {
            foreach (var record in reader)
            {
                copy.Append(record);
            }
        }
        var expected = DecodedRecord.ReadAll(source).Select(r => r with { Offset = r.Offset + 1_000 }).ToList();
        Assert.Equal(expected, DecodedRecord.ReadAll(copy.Build()));
    }

    [Fact]
    public void Header_keys_are_written_as_utf8()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, null, "v"u8, new RecordHeaderData("grüße-😀", "ok"u8.ToArray()));
        using var reader = new RecordBatchReader(builder.Build());
        Assert.True(reader.TryReadNext(out var record));
        foreach (var header in record.Headers)
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes("grüße-😀"), header.Key.ToArray());
            Assert.Equal("grüße-😀", header.KeyAsString());
        }
    }

    [Fact]
    public void A_disposed_builder_refuses_work()
    {
        var builder = new RecordBatchBuilder();
        builder.Append(1, null, null);
        builder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => builder.Append(2, null, null));
        Assert.Throws<ObjectDisposedException>(() => builder.Build());
        builder.Dispose();
    }
}
