using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Tests.TestSupport;
using static AkkaStream.Records.Batches.RecordBatchLayout;

namespace AkkaStream.Records.Tests.Batches;

public sealed class RecordBatchCorruptionTests
{
    public static TheoryData<string> Vectors => RecordBatchVectorTests.AllVectors;

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Flipping_any_byte_covered_by_the_crc_or_the_length_fails_validation(string hex)
    {
        var original = Hex.Parse(hex);
        byte[] flips = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF, 0x5A];
        for (var position = 0; position < original.Length; position++)
        {
            var outsideCrc = position < BatchLengthOffset
                || (position >= PartitionLeaderEpochOffset && position < MagicOffset);
            foreach (var flip in flips)
            {
                var batch = (byte[])original.Clone();
                batch[position] ^= flip;
                if (outsideCrc)
                {
                    // baseOffset and partitionLeaderEpoch are rewritten by the leader without a new CRC.
                    Assert.Equal(RecordBatch.ComputeCrc(original), RecordBatch.ComputeCrc(batch));
                }
                else
                {
                    Assert.True(
                        RecordBatch.Validate(batch, out var reason) == ErrorCode.CorruptMessage && reason is not null,
                        $"flipping byte {position} with 0x{flip:x2} went unnoticed");
                }
            }
        }
    }

    [Fact]
    public void Truncated_records_with_a_fixed_crc_make_the_reader_throw()
    {
        var full = RecordBatchBuilderTests.SampleBatch(recordCount: 20);
        var records = full.AsSpan(HeaderSize).ToArray();
        for (var cut = 0; cut < records.Length; cut++)
        {
            // The header still promises 20 records; length and CRC are made to match the cut.
            var truncated = BatchAssembler.Assemble(records.AsSpan(0, cut), recordsCount: 20, lastOffsetDelta: 19);
            Assert.Equal(ErrorCode.None, RecordBatch.Validate(truncated, out _));
            Assert.Throws<CorruptRecordException>(() => BatchAssembler.Drain(truncated));
        }
    }

    [Fact]
    public void Random_damage_behind_a_fixed_crc_gives_records_or_corrupt_record_exception_only()
    {
        var original = RecordBatchBuilderTests.SampleBatch(recordCount: 12);
        var random = new Random(4242);
        var corruptions = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var batch = (byte[])original.Clone();
            var damage = random.Next(1, 4);
            for (var i = 0; i < damage; i++)
            {
                // Anywhere the CRC covers, attributes included: a damaged compression code hands
                // plain records to a codec, which must refuse them in the same way.
                var position = random.Next(AttributesOffset, batch.Length);
                batch[position] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => 0xFF,
                    _ => (byte)(batch[position] ^ (1 << random.Next(8))),
                };
            }
            RecordBatch.WriteCrc(batch);
            try
            {
                BatchAssembler.Drain(batch);
            }
            catch (CorruptRecordException)
            {
                corruptions++;
            }
        }
        Assert.True(corruptions > 2_000, $"only {corruptions} of 20000 damaged batches were refused");
    }

    // Each is one record in a batch whose header declares one record; where a record would be
    // shorter than the smallest possible (7 bytes) it is padded with zeros, so that the record
    // decoder is reached rather than the reader's up-front count check.
    [Theory]
    [InlineData("0c 00 00 00 03 01 00", "keyLength -2")]
    [InlineData("0c 00 00 00 01 04 00", "valueLength 2 with one byte left")]
    [InlineData("0c 00 00 00 01 01 7f", "headersCount -64")]
    [InlineData("0c 00 00 00 01 01 04", "headersCount 2 with no room")]
    [InlineData("10 00 00 00 01 01 02 01 01", "header key length -1")]
    [InlineData("10 00 00 00 01 01 02 00 03", "header value length -2")]
    [InlineData("10 00 00 00 01 01 02 02 01", "a header without its value length")]
    [InlineData("0e 00 00 00 01 01 00 00", "a byte left after the headers")]
    [InlineData("0a 00 00 00 01 01 00", "length 5, below the smallest record")]
    [InlineData("0e 00 00 00 01 01 00", "length 7 with 6 bytes left")]
    [InlineData("01 00 00 00 00 00 00", "length -1")]
    [InlineData("ff ff ff ff ff 01 00", "length varint longer than five bytes")]
    [InlineData("ff ff ff ff 1f 00 00", "length varint beyond 32 bits")]
    [InlineData("1e 00 ff ff ff ff ff ff ff ff ff 7f 00 01 01 00", "timestampDelta varlong with bits past 63")]
    [InlineData("0c 00 00 00 01 01 80 00", "headersCount varint running past the record's end")]
    [InlineData("01", "a section too small for the declared count")]
    public void Malformed_record_is_refused(string recordHex, string what)
    {
        var batch = BatchAssembler.Assemble(Hex.Parse(recordHex), recordsCount: 1, lastOffsetDelta: 0);
        var error = Assert.Throws<CorruptRecordException>(() => BatchAssembler.Drain(batch));
        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void The_smallest_record_is_accepted()
    {
        // length 6, attributes, timestampDelta 0, offsetDelta 0, null key, null value, no headers.
        var batch = BatchAssembler.Assemble(Hex.Parse("0c 00 00 00 01 01 00"), recordsCount: 1, lastOffsetDelta: 0);
        Assert.Equal(1, BatchAssembler.Drain(batch));
    }
}
