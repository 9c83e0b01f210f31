using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Tests.TestSupport;

namespace AkkaStream.Records.Tests.Batches;

/// <summary>The edits a leader makes to a batch in place on append.</summary>
public sealed class RecordBatchEditTests
{
    [Fact]
    public void SetLogAppendTime_keeps_the_batch_valid()
    {
        var batch = RecordBatchBuilderTests.SampleBatch(10);
        var before = DecodedRecord.ReadAll(batch);

        RecordBatch.SetLogAppendTime(batch, 1_800_000_000_000);

        Assert.Equal(ErrorCode.None, RecordBatch.Validate(batch, out var reason));
        Assert.Null(reason);
        Assert.True(RecordBatchHeader.TryRead(batch, out var header));
        Assert.Equal(TimestampType.LogAppendTime, header.Attributes.TimestampType);
        Assert.Equal(1_800_000_000_000, header.MaxTimestamp);
        var after = DecodedRecord.ReadAll(batch);
        Assert.Equal(before.Select(r => r with { Timestamp = 1_800_000_000_000 }), after);
    }

    [Fact]
    public void SetBaseOffset_and_SetPartitionLeaderEpoch_keep_the_crc_valid()
    {
        var batch = Hex.Parse(RecordBatchVectorTests.ClientBatchHex);
        var crc = RecordBatch.ComputeCrc(batch);

        RecordBatch.SetBaseOffset(batch, 987_654_321);
        RecordBatch.SetPartitionLeaderEpoch(batch, 42);

        Assert.Equal(crc, RecordBatch.ComputeCrc(batch));
        Assert.Equal(ErrorCode.None, RecordBatch.Validate(batch, out _));
        Assert.True(RecordBatchHeader.TryRead(batch, out var header));
        Assert.Equal(987_654_321, header.BaseOffset);
        Assert.Equal(42, header.PartitionLeaderEpoch);
        Assert.Equal([987_654_321L, 987_654_322L], DecodedRecord.ReadAll(batch).Select(r => r.Offset));
    }
}
