using AkkaStream.Records.Ids;
using AkkaStream.Storage.Epochs;
using AkkaStream.Storage.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AkkaStream.Storage.Tests.Epochs;

/// <summary>
/// The in-memory semantics of the epoch history: the scenarios Kafka's own cache is held to
/// (assign, OffsetsForLeaderEpoch end offsets, truncation from either end), in our words.
/// </summary>
public sealed class LeaderEpochCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly RecordingLogger _logger = new();
    private readonly LeaderEpochCache _cache;

    public LeaderEpochCacheTests() => _cache = LeaderEpochCache.Load(_dir.Path, _logger);

    public void Dispose() => _dir.Dispose();

    private static EpochEntry E(int epoch, long startOffset) => new(new LeaderEpoch(epoch), new Offset(startOffset));

    private static EpochEndOffset End(int epoch, long endOffset) => new(new LeaderEpoch(epoch), new Offset(endOffset));

    private void Assign(params (int Epoch, long StartOffset)[] entries)
    {
        foreach (var (epoch, startOffset) in entries)
            _cache.Assign(new LeaderEpoch(epoch), new Offset(startOffset));
    }

    private EpochEndOffset EndOffsetFor(int epoch, long logEndOffset) =>
        _cache.EndOffsetFor(new LeaderEpoch(epoch), new Offset(logEndOffset));

    private IReadOnlyList<string> Warnings => _logger.MessagesAtOrAbove(LogLevel.Warning);

    // ---- an empty history

    [Fact]
    public void An_empty_history_knows_no_epoch()
    {
        Assert.Empty(_cache.Entries);
        Assert.Null(_cache.LatestEpoch);
        Assert.Null(_cache.LatestEntry);
        Assert.Null(_cache.EpochFor(new Offset(0)));
        Assert.Equal(EpochEndOffset.Undefined, EndOffsetFor(7, 0));
        Assert.Equal(EpochEndOffset.Undefined, EndOffsetFor(-1, 73));
    }

    [Fact]
    public void Truncating_an_empty_history_changes_nothing()
    {
        Assert.False(_cache.TruncateFromStart(new Offset(7)));
        Assert.False(_cache.TruncateFromEnd(new Offset(7)));
        Assert.Empty(_cache.Entries);
    }

    // ---- assign

    [Fact]
    public void A_new_epoch_is_recorded_with_its_start_offset()
    {
        Assert.True(_cache.Assign(new LeaderEpoch(2), new Offset(10)));

        Assert.Equal([E(2, 10)], _cache.Entries);
        Assert.Equal(new LeaderEpoch(2), _cache.LatestEpoch);
        Assert.Equal(E(2, 10), _cache.LatestEntry);
        Assert.Equal(End(2, 11), EndOffsetFor(2, 11));
    }

    [Fact]
    public void Epochs_need_not_start_from_zero()
    {
        Assign((2, 6));

        Assert.Equal([E(2, 6)], _cache.Entries);
        Assert.Equal(End(2, 7), EndOffsetFor(2, 7));
    }

    [Fact]
    public void The_same_epoch_at_a_later_offset_keeps_its_first_offset()
    {
        Assign((2, 6));

        Assert.False(_cache.Assign(new LeaderEpoch(2), new Offset(7)));
        Assert.False(_cache.Assign(new LeaderEpoch(2), new Offset(10)));
        Assert.False(_cache.Assign(new LeaderEpoch(2), new Offset(6)));

        Assert.Equal([E(2, 6)], _cache.Entries);
    }

    [Fact]
    public void Each_epoch_starts_where_its_first_batch_was_written()
    {
        // A follower appending one record at a time through three leaderships.
        var logEndOffset = 0L;
        foreach (var epoch in new[] { 0, 0, 0, 1, 1, 1, 2, 2, 2 })
        {
            _cache.Assign(new LeaderEpoch(epoch), new Offset(logEndOffset));
            logEndOffset++;
        }

        Assert.Equal([E(0, 0), E(1, 3), E(2, 6)], _cache.Entries);
        Assert.Equal(End(2, 9), EndOffsetFor(2, logEndOffset));
        Assert.Equal(End(1, 6), EndOffsetFor(1, logEndOffset));
        Assert.Equal(End(0, 3), EndOffsetFor(0, logEndOffset));
    }

    [Fact]
    public void The_latest_epoch_at_an_earlier_offset_moves_back_and_drops_what_it_overlaps()
    {
        Assign((5, 11), (6, 12), (7, 13));

        Assert.True(_cache.Assign(new LeaderEpoch(7), new Offset(12)));

        Assert.Equal([E(5, 11), E(7, 12)], _cache.Entries);
        Assert.Equal(End(5, 12), EndOffsetFor(5, 0));
        Assert.Equal(End(5, 12), EndOffsetFor(6, 0));
    }

    [Fact]
    public void A_newer_epoch_at_the_same_offset_replaces_an_epoch_that_wrote_nothing_without_a_warning()
    {
        Assign((2, 9));

        Assert.True(_cache.Assign(new LeaderEpoch(3), new Offset(9)));

        Assert.Equal([E(3, 9)], _cache.Entries);
        Assert.Empty(Warnings);
    }

    [Fact]
    public void A_newer_epoch_at_a_lower_offset_removes_the_entries_it_overlaps_and_warns()
    {
        Assign((2, 6));

        Assert.True(_cache.Assign(new LeaderEpoch(3), new Offset(5)));

        Assert.Equal([E(3, 5)], _cache.Entries);
        var warning = Assert.Single(Warnings);
        Assert.Contains("3@5", warning);
        Assert.Contains("2@6", warning);
    }

    [Fact]
    public void An_older_epoch_removes_every_entry_of_its_epoch_or_later()
    {
        Assign((1, 5), (2, 6));

        Assert.True(_cache.Assign(new LeaderEpoch(1), new Offset(7)));

        Assert.Equal([E(1, 7)], _cache.Entries);
        Assert.Equal(new LeaderEpoch(1), _cache.LatestEpoch);
        Assert.Equal(End(1, 8), EndOffsetFor(1, 8));
        Assert.Equal(EpochEndOffset.Undefined, EndOffsetFor(2, 8));
        Assert.Single(Warnings);
    }

    [Fact]
    public void An_older_epoch_after_the_latest_start_keeps_the_entries_below_it()
    {
        Assign((0, 0), (2, 10));

        Assert.True(_cache.Assign(new LeaderEpoch(1), new Offset(20)));

        Assert.Equal([E(0, 0), E(1, 20)], _cache.Entries);
    }

    [Fact]
    public void A_new_leader_before_any_write_replaces_the_previous_epoch_at_the_same_offset()
    {
        Assign((0, 0), (1, 0));

        Assert.Equal([E(1, 0)], _cache.Entries);
        Assert.Equal(End(1, 0), EndOffsetFor(1, 0));
        Assert.Equal(End(0, 0), EndOffsetFor(0, 0));

        Assign((2, 5));
        Assert.Equal(End(2, 10), EndOffsetFor(2, 10));
        Assert.Equal(End(1, 5), EndOffsetFor(1, 10));
        Assert.Equal(End(0, 0), EndOffsetFor(0, 10));
    }

    [Fact]
    public void Undefined_epochs_and_offsets_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _cache.Assign(LeaderEpoch.None, new Offset(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _cache.Assign(new LeaderEpoch(0), Offset.None));
        Assert.Empty(_cache.Entries);
    }

    [Fact]
    public void Entries_is_a_snapshot()
    {
        Assign((0, 0));
        var before = _cache.Entries;

        Assign((1, 5));

        Assert.Equal([E(0, 0)], before);
        Assert.Equal([E(0, 0), E(1, 5)], _cache.Entries);
    }

    // ---- end offsets (OffsetsForLeaderEpoch)

    [Theory]
    [InlineData(0, 0, 5)]    // ends where epoch 1 starts
    [InlineData(1, 1, 10)]   // ends where epoch 3 starts
    [InlineData(2, 1, 10)]   // unknown here: the epoch before it, ending where the next known one starts
    [InlineData(3, 3, 15)]   // the latest epoch ends at the log end
    [InlineData(4, -1, -1)]  // newer than anything here: undefined
    [InlineData(-1, -1, -1)] // undefined in, undefined out
    public void End_offsets_in_a_history_with_a_gap(int requested, int epoch, long endOffset)
    {
        Assign((0, 0), (1, 5), (3, 10));

        Assert.Equal(End(epoch, endOffset), EndOffsetFor(requested, logEndOffset: 15));
    }

    [Fact]
    public void An_epoch_older_than_the_whole_history_ends_where_the_history_starts()
    {
        Assign((5, 11), (6, 12), (7, 13));

        // The requested epoch comes back (not -1), with the first known start offset.
        Assert.Equal(End(4, 11), EndOffsetFor(4, 0));
        Assert.Equal(End(0, 11), EndOffsetFor(0, 0));
    }

    [Fact]
    public void Missing_epochs_resolve_to_the_nearest_older_one()
    {
        Assign((0, 10), (2, 13), (4, 17));

        Assert.Equal(End(0, 13), EndOffsetFor(1, 0));
        Assert.Equal(End(2, 17), EndOffsetFor(2, 0));
        Assert.Equal(End(2, 17), EndOffsetFor(3, 0));
        Assert.Equal(End(4, 20), EndOffsetFor(4, 20));
        Assert.Equal(EpochEndOffset.Undefined, EndOffsetFor(5, 20));
    }

    [Fact]
    public void The_end_of_an_epoch_is_the_start_of_the_next_one()
    {
        Assign((1, 11), (1, 12), (2, 13), (2, 14), (3, 15), (3, 16));

        Assert.Equal(End(2, 15), EndOffsetFor(2, 17));
    }

    [Fact]
    public void A_single_epoch_newer_than_the_request_only_is_undefined()
    {
        Assign((2, 100));

        Assert.Equal(EpochEndOffset.Undefined, EndOffsetFor(3, 100));
    }

    // ---- epoch of an offset

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(9, 1)]
    [InlineData(10, 3)]
    [InlineData(1000, 3)]
    public void The_epoch_of_an_offset_is_the_last_one_that_started_at_or_before_it(long offset, int epoch)
    {
        Assign((0, 0), (1, 5), (3, 10));

        Assert.Equal(new LeaderEpoch(epoch), _cache.EpochFor(new Offset(offset)));
    }

    [Fact]
    public void An_offset_before_the_history_has_no_epoch()
    {
        Assign((2, 6), (3, 8));

        Assert.Null(_cache.EpochFor(new Offset(5)));
        Assert.Null(_cache.EpochFor(Offset.None));
        Assert.Equal(new LeaderEpoch(2), _cache.EpochFor(new Offset(6)));
    }

    // ---- truncation from the end (follower truncation, recovery)

    [Theory]
    [InlineData(8, new[] { 2 })]        // on an epoch boundary: that epoch goes
    [InlineData(9, new[] { 2, 3 })]     // inside epoch 3: it stays
    [InlineData(11, new[] { 2, 3 })]
    [InlineData(7, new[] { 2 })]
    [InlineData(6, new int[0])]
    [InlineData(0, new int[0])]
    public void Truncating_the_end_removes_the_epochs_that_start_at_or_after_it(long endOffset, int[] epochsLeft)
    {
        Assign((2, 6), (3, 8), (4, 11));

        Assert.True(_cache.TruncateFromEnd(new Offset(endOffset)));

        Assert.Equal(epochsLeft, _cache.Entries.Select(e => e.Epoch.Value));
        Assert.All(_cache.Entries, e => Assert.True(e.StartOffset.Value < endOffset));
    }

    [Fact]
    public void Truncating_the_end_inside_the_latest_epoch_changes_nothing()
    {
        Assign((2, 6), (3, 8), (4, 11));

        Assert.False(_cache.TruncateFromEnd(new Offset(12)));

        Assert.Equal([E(2, 6), E(3, 8), E(4, 11)], _cache.Entries);
    }

    [Fact]
    public void Truncating_the_end_to_an_undefined_offset_changes_nothing()
    {
        Assign((2, 6), (3, 8), (4, 11));

        Assert.False(_cache.TruncateFromEnd(Offset.None));

        Assert.Equal(3, _cache.Entries.Count);
    }

    [Fact]
    public void After_truncating_the_end_the_previous_epoch_is_latest_again()
    {
        Assign((2, 10), (4, 15), (10, 20));

        _cache.TruncateFromEnd(new Offset(18));

        Assert.Equal(new LeaderEpoch(4), _cache.LatestEpoch);
        Assert.Equal(End(4, 18), EndOffsetFor(4, 18));
    }

    // ---- truncation from the start (log start offset moves forward)

    public static TheoryData<long, EpochEntry[]> StartTruncations => new()
    {
        { 8, [E(3, 8), E(4, 11)] },            // on a boundary: the epochs below go
        { 9, [E(3, 9), E(4, 11)] },            // inside epoch 3: it now starts at 9
        { 11, [E(4, 11)] },
        { 15, [E(4, 15)] },                    // past the latest start: the latest epoch stays, moved up
        { 7, [E(2, 7), E(3, 8), E(4, 11)] },
    };

    [Theory]
    [MemberData(nameof(StartTruncations))]
    public void Truncating_the_start_drops_epochs_below_it_and_moves_the_covering_one_up(long startOffset, EpochEntry[] expected)
    {
        Assign((2, 6), (3, 8), (4, 11));

        Assert.True(_cache.TruncateFromStart(new Offset(startOffset)));

        Assert.Equal(expected, _cache.Entries);
    }

    [Theory]
    [InlineData(-1)] // undefined
    [InlineData(1)]  // before the history
    [InlineData(6)]  // exactly the first start
    public void Truncating_the_start_at_or_before_the_first_entry_changes_nothing(long startOffset)
    {
        Assign((2, 6), (3, 8), (4, 11));

        Assert.False(_cache.TruncateFromStart(new Offset(startOffset)));

        Assert.Equal([E(2, 6), E(3, 8), E(4, 11)], _cache.Entries);
    }

    [Fact]
    public void Truncating_the_start_between_the_first_two_epochs_moves_only_the_first()
    {
        Assign((0, 0), (1, 7), (2, 10));

        _cache.TruncateFromStart(new Offset(5));

        Assert.Equal([E(0, 5), E(1, 7), E(2, 10)], _cache.Entries);
    }

    // ---- clear

    [Fact]
    public void Clear_removes_every_entry()
    {
        Assign((2, 6), (3, 8), (4, 11));

        _cache.Clear();

        Assert.Empty(_cache.Entries);
        Assert.Null(_cache.LatestEpoch);
    }
}
