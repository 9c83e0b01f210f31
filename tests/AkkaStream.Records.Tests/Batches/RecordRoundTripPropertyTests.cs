using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Tests.TestSupport;
using CsCheck;

namespace AkkaStream.Records.Tests.Batches;

/// <summary>Random records survive builder then reader exactly (uncompressed).</summary>
public sealed class RecordRoundTripPropertyTests
{
    private static readonly Gen<byte[]?> NullableBytesGen = Gen.Frequency(
        (1, Gen.Const((byte[]?)null)),
        (1, Gen.Const((byte[]?)Array.Empty<byte>())),
        (6, Gen.Byte.Array[1, 64].Select(b => (byte[]?)b)),
        (1, Gen.Byte.Array[64, 20_000].Select(b => (byte[]?)b)));

    private static readonly Gen<string> HeaderKeyGen = Gen.OneOf(
        Gen.Char['a', 'z'].Array[0, 12].Select(chars => new string(chars)),
        Gen.OneOf(Gen.Const("é"), Gen.Const("键"), Gen.Const("😀"), Gen.Const("a-b_c.d")).Array[1, 4].Select(parts => string.Concat(parts)));

    private static readonly Gen<DecodedHeader> HeaderGen = Gen.Select(HeaderKeyGen, NullableBytesGen, (key, value) => new DecodedHeader(key, value));

    // Timestamps near "now", anywhere in a long (deltas then wrap), and Kafka's -1 "no timestamp".
    private static readonly Gen<long> TimestampGen = Gen.Frequency(
        (6, Gen.Long[1_700_000_000_000, 1_800_000_000_000]),
        (2, Gen.Long),
        (1, Gen.Const(-1L)));

    private static readonly Gen<(long Timestamp, byte[]? Key, byte[]? Value, DecodedHeader[] Headers)> RecordGen =
        Gen.Select(TimestampGen, NullableBytesGen, NullableBytesGen, Gen.Frequency((3, Gen.Const(Array.Empty<DecodedHeader>())), (2, HeaderGen.Array[1, 5])));

    [Fact]
    public void Random_records_round_trip_exactly()
    {
        Gen.Select(RecordGen.Array[1, 40], Gen.Long[0, long.MaxValue / 2]).Sample((records, baseOffset) =>
        {
            using var builder = new RecordBatchBuilder { BaseOffset = baseOffset };
            foreach (var (timestamp, key, value, headers) in records)
            {
                var headerData = new RecordHeaderData[headers.Length];
                for (var i = 0; i < headers.Length; i++)
                {
                    headerData[i] = new RecordHeaderData(headers[i].Key, headers[i].Value);
                }
                builder.Append(timestamp, key, value, headerData);
            }
            var batch = builder.Build();
            Assert.Equal(batch.Length, builder.EstimatedSizeInBytes);
            Assert.Equal(ErrorCode.None, RecordBatch.Validate(batch, out _));

            var expected = new List<DecodedRecord>();
            for (var i = 0; i < records.Length; i++)
            {
                var (timestamp, key, value, headers) = records[i];
                expected.Add(new DecodedRecord(baseOffset + i, timestamp, key, value, headers));
            }
            Assert.Equal(expected, DecodedRecord.ReadAll(batch));

            Assert.True(RecordBatchHeader.TryRead(batch, out var header));
            Assert.Equal(records[0].Timestamp, header.BaseTimestamp);
            Assert.Equal(records.Max(r => r.Timestamp), header.MaxTimestamp);
            Assert.Equal(records.Length - 1, header.LastOffsetDelta);
        }, iter: 400);
    }
}
