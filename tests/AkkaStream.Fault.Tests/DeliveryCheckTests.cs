using System.Text;
using AkkaStream.Fault.Checks;
using AkkaStream.Fault.Workload;

namespace AkkaStream.Fault.Tests;

public sealed class DeliveryCheckTests
{
    private static readonly DateTime At = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static (long, byte[]?) Stored(long offset, int partition, long sequence) =>
        (offset, Encoding.UTF8.GetBytes(ProducerWorkload.ValueOf(partition, sequence)));

    private static AckLog Acked(int partition, params (long Sequence, long Offset)[] acks)
    {
        var log = new AckLog();
        foreach (var (sequence, offset) in acks) log.Acknowledged(new Ack(partition, sequence, offset, At));
        return log;
    }

    [Fact]
    public void A_log_holding_each_acknowledged_record_once_at_its_offset_passes()
    {
        var result = DeliveryCheck.Check(Acked(0, (0, 0), (1, 1), (2, 2)),
            new Dictionary<int, List<(long, byte[]?)>> { [0] = [Stored(0, 0, 0), Stored(1, 0, 1), Stored(2, 0, 2), Stored(3, 0, 3)] });

        Assert.Equal((3L, 4L, 0L, 0L, 0L, 0L), (result.Acknowledged, result.Consumed, result.Lost, result.Duplicated, result.Misplaced, result.OutOfOrder));
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Counts_a_missing_acknowledged_record_as_lost()
    {
        var result = DeliveryCheck.Check(Acked(0, (0, 0), (1, 1)),
            new Dictionary<int, List<(long, byte[]?)>> { [0] = [Stored(0, 0, 0)] });

        Assert.Equal(1, result.Lost);
        Assert.Contains("p0-000000001 acknowledged at offset 1 is missing", Assert.Single(result.Problems));
    }

    [Fact]
    public void Reports_a_retried_batch_stored_twice_as_one_run_of_duplicates()
    {
        // Sequences 0 and 1 were written at 0..1, their acknowledgement was lost, and the retry wrote them again at 2..3.
        var result = DeliveryCheck.Check(Acked(0, (0, 2), (1, 3), (2, 4)),
            new Dictionary<int, List<(long, byte[]?)>> { [0] = [Stored(0, 0, 0), Stored(1, 0, 1), Stored(2, 0, 0), Stored(3, 0, 1), Stored(4, 0, 2)] });

        Assert.Equal(2, result.Duplicated);
        Assert.Equal((0L, 0L, 0L), (result.Lost, result.Misplaced, result.OutOfOrder));
        Assert.Equal("partition 0: p0-000000000..p0-000000001 (2 records) stored 2 times, at offsets 0..1 and 2..3", Assert.Single(result.Problems));
    }

    [Fact]
    public void Counts_records_stored_out_of_production_order_and_away_from_their_acknowledged_offset()
    {
        var result = DeliveryCheck.Check(Acked(1, (0, 0), (1, 1)),
            new Dictionary<int, List<(long, byte[]?)>> { [1] = [Stored(0, 1, 1), Stored(1, 1, 0)] });

        Assert.Equal(1, result.OutOfOrder);
        Assert.Equal(2, result.Misplaced);
    }

    [Fact]
    public void The_longest_silence_spans_the_gap_between_acknowledgements_and_the_edges_of_the_run()
    {
        var log = new AckLog();
        log.Acknowledged(new Ack(0, 0, 0, At.AddSeconds(1)));
        log.Acknowledged(new Ack(0, 1, 1, At.AddSeconds(7)));

        Assert.Equal(TimeSpan.FromSeconds(6), log.LongestSilence(0, At, At.AddSeconds(8)));
        Assert.Equal(TimeSpan.FromSeconds(10), log.LongestSilence(0, At, At.AddSeconds(17)));
        Assert.Equal(TimeSpan.FromSeconds(5), log.LongestSilence(1, At, At.AddSeconds(5)));
    }
}
