using System.Buffers;
using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Kafka.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Kafka.Tests.Protocol;

public class FramingTests
{
    private readonly FrameDecoder _frames = new(maxRequestSize: 64, NullLogger.Instance);
    private readonly RequestDecoder _requests = new(SupportedApis.Default, NullLogger.Instance);

    [Fact]
    public void A_partial_frame_waits_for_more_bytes_and_consumes_nothing()
    {
        var bytes = Hex.Bytes("00 00 00 08", "00 12 00 00");
        Assert.Equal(FrameStatus.Incomplete, _frames.TryTakeFrame(bytes, endOfStream: false, out var frame, out var consumed, out _));
        Assert.Null(frame);
        Assert.Equal(0, consumed);
        Assert.Equal(FrameStatus.Incomplete, _frames.TryTakeFrame(bytes[..2], endOfStream: false, out _, out _, out _));
    }

    [Fact]
    public void Two_pipelined_frames_are_taken_one_at_a_time_in_order()
    {
        var bytes = Hex.Bytes("00 00 00 02", "AA BB", "00 00 00 01", "CC");
        Assert.Equal(FrameStatus.Complete, _frames.TryTakeFrame(bytes, false, out var first, out var consumed, out _));
        using (first) Assert.Equal("AABB", Hex.Show(first!.Span));
        Assert.Equal(6, consumed);
        Assert.Equal(FrameStatus.Complete, _frames.TryTakeFrame(bytes.AsSpan(consumed), false, out var second, out consumed, out _));
        using (second) Assert.Equal("CC", Hex.Show(second!.Span));
        Assert.Equal(5, consumed);
    }

    [Fact]
    public void Frames_spread_over_buffer_segments_are_taken_whole_even_when_the_size_prefix_is_split()
    {
        // As a connection's pipe holds them: the prefix of the first frame cut after 3 bytes, its
        // body cut again, and the second frame in the last segment with the end of the first.
        var segments = Segments(Hex.Bytes("00 00 00"), Hex.Bytes("03 AA"), Hex.Bytes("BB CC 00 00 00 01 DD"));
        Assert.Equal(FrameStatus.Incomplete, _frames.TryTakeFrame(segments.Slice(0, 3), endOfStream: false, out _, out _, out _));
        Assert.Equal(FrameStatus.Incomplete, _frames.TryTakeFrame(segments.Slice(0, 6), endOfStream: false, out _, out _, out _));
        Assert.Equal(FrameStatus.Complete, _frames.TryTakeFrame(segments, false, out var first, out var consumed, out _));
        using (first) Assert.Equal("AABBCC", Hex.Show(first!.Span));
        Assert.Equal(7, consumed);
        Assert.Equal(FrameStatus.Complete, _frames.TryTakeFrame(segments.Slice(consumed), false, out var second, out consumed, out _));
        using (second) Assert.Equal("DD", Hex.Show(second!.Span));
        Assert.Equal(5, consumed);

        // Fewer bytes than a size prefix, in two segments: more is awaited, or at the end of the stream it is truncated.
        var shortPrefix = Segments(Hex.Bytes("00 00"), Hex.Bytes("00"));
        Assert.Equal(FrameStatus.Incomplete, _frames.TryTakeFrame(shortPrefix, endOfStream: false, out _, out _, out _));
        Assert.Equal(FrameStatus.Rejected, _frames.TryTakeFrame(shortPrefix, endOfStream: true, out _, out _, out var cut));
        Assert.Equal(RejectionReason.Truncated, cut!.Reason);
        var tooLarge = Segments(Hex.Bytes("00 00"), Hex.Bytes("00 41"));
        Assert.Equal(FrameStatus.Rejected, _frames.TryTakeFrame(tooLarge, false, out var none, out _, out var refused));
        Assert.Null(none);
        Assert.Equal(RejectionReason.TooLarge, refused!.Reason);
    }

    private static ReadOnlySequence<byte> Segments(params byte[][] parts)
    {
        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1)) last = last.Append(part);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    [Fact]
    public void A_declared_size_above_the_maximum_is_rejected_before_anything_is_read()
    {
        var bytes = Hex.Bytes("00 00 00 41");   // 65 > 64, and no body at all
        Assert.Equal(FrameStatus.Rejected, _frames.TryTakeFrame(bytes, false, out var frame, out _, out var rejection));
        Assert.Null(frame);
        Assert.Equal(RejectionReason.TooLarge, rejection!.Reason);
    }

    [Fact]
    public void A_negative_size_is_rejected()
    {
        Assert.Equal(FrameStatus.Rejected, _frames.TryTakeFrame(Hex.Bytes("FF FF FF FF"), false, out _, out _, out var rejection));
        Assert.Equal(RejectionReason.NegativeSize, rejection!.Reason);
    }

    [Theory]
    [InlineData("00 00")]                        // inside the size prefix
    [InlineData("00 00 00 08 00 12 00")]         // inside the frame
    public void A_stream_that_ends_inside_a_frame_is_truncated(string hex)
    {
        Assert.Equal(FrameStatus.Rejected, _frames.TryTakeFrame(Hex.Bytes(hex), endOfStream: true, out _, out _, out var rejection));
        Assert.Equal(RejectionReason.Truncated, rejection!.Reason);
    }

    [Fact]
    public void A_stream_that_ends_between_frames_is_not_an_error()
    {
        Assert.Equal(FrameStatus.Incomplete, _frames.TryTakeFrame([], endOfStream: true, out _, out _, out var rejection));
        Assert.Null(rejection);
    }

    [Fact]
    public void An_unknown_api_key_is_rejected()
    {
        // api_key 999, v0, correlation 1, client_id null
        Assert.False(_requests.TryDecode(Hex.Bytes("03 E7", "00 00", "00 00 00 01", "FF FF"), out _, out _, out var rejection));
        Assert.Equal(RejectionReason.UnknownApiKey, rejection!.Reason);
    }

    [Theory]
    [InlineData("00 00", "00 02")]    // Produce v2: below the supported 3-8
    [InlineData("00 03", "00 09")]    // Metadata v9: above 0-8
    [InlineData("00 01", "00 0C")]    // Fetch v12
    public void A_version_outside_the_supported_range_is_rejected(string key, string version)
    {
        Assert.False(_requests.TryDecode(Hex.Bytes(key, version, "00 00 00 01", "FF FF"), out _, out _, out var rejection));
        Assert.Equal(RejectionReason.UnsupportedVersion, rejection!.Reason);
    }

    [Fact]
    public void An_api_versions_request_at_an_unsupported_version_still_yields_its_correlation_id()
    {
        // ApiVersions v4 (we serve 0-3): the broker must answer it in the v0 layout, not hang up.
        Assert.False(_requests.TryDecode(Hex.Bytes("00 12", "00 04", "00 00 00 09", "00 00", "00"), out _, out var header, out var rejection));
        Assert.Equal(RejectionReason.UnsupportedVersion, rejection!.Reason);
        Assert.Equal(new RequestHeader(ApiKey.ApiVersions, 4, 9, null), header);
    }

    [Fact]
    public void Bytes_left_after_the_body_are_malformed()
    {
        Assert.False(_requests.TryDecode(Hex.Bytes("00 12", "00 00", "00 00 00 01", "FF FF", "00"), out _, out _, out var rejection));
        Assert.Equal(RejectionReason.Malformed, rejection!.Reason);
    }

    [Fact]
    public void A_body_cut_short_is_malformed_with_where_it_ended()
    {
        // Heartbeat v0: GroupId says 5 bytes, 2 follow.
        Assert.False(_requests.TryDecode(Hex.Bytes("00 0C", "00 00", "00 00 00 01", "FF FF", "00 05 61 62"), out _, out _, out var rejection));
        Assert.Equal(RejectionReason.Malformed, rejection!.Reason);
        Assert.Contains("at byte", rejection.Detail);
    }

    [Fact]
    public void The_pooled_frame_cannot_be_read_after_it_is_returned()
    {
        Assert.Equal(FrameStatus.Complete, _frames.TryTakeFrame(Hex.Bytes("00 00 00 01", "AA"), false, out var frame, out _, out _));
        frame!.Dispose();
        Assert.Throws<ObjectDisposedException>(() => frame.Span.Length);
    }

    [Fact]
    public void ApiVersions_is_built_from_the_supported_table()
    {
        var response = ApiVersionsResponses.Build(SupportedApis.Default);
        var keys = (object?[])response["ApiKeys"]!;
        Assert.Equal(SupportedApis.Default.All.Count, keys.Length);
        foreach (var (entry, api) in keys.Cast<MessageStruct>().Zip(SupportedApis.Default.All))
        {
            Assert.Equal((short)api.Api.Key, entry["ApiKey"]);
            Assert.Equal(api.Range.Lowest, entry["MinVersion"]);
            Assert.Equal(api.Range.Highest, entry["MaxVersion"]);
        }
    }

    [Fact]
    public void The_table_serves_the_ranges_clients_need()
    {
        var expected = new Dictionary<ApiKey, string>
        {
            [ApiKey.ApiVersions] = "0-3", [ApiKey.Metadata] = "0-8", [ApiKey.Produce] = "3-8", [ApiKey.Fetch] = "4-11",
            [ApiKey.ListOffsets] = "0-5", [ApiKey.OffsetForLeaderEpoch] = "0-3", [ApiKey.CreateTopics] = "0-6",
            [ApiKey.DeleteTopics] = "0-5", [ApiKey.CreatePartitions] = "0-2", [ApiKey.DescribeConfigs] = "0-4",
            [ApiKey.AlterConfigs] = "0-1", [ApiKey.IncrementalAlterConfigs] = "0-1", [ApiKey.DeleteRecords] = "0-1",
            [ApiKey.InitProducerId] = "0-3", [ApiKey.DescribeCluster] = "0", [ApiKey.FindCoordinator] = "0-3",
            [ApiKey.JoinGroup] = "0-6", [ApiKey.SyncGroup] = "0-4", [ApiKey.Heartbeat] = "0-4", [ApiKey.LeaveGroup] = "0-4",
            [ApiKey.OffsetCommit] = "0-8", [ApiKey.OffsetFetch] = "0-7", [ApiKey.ListGroups] = "0-4",
            [ApiKey.DescribeGroups] = "0-5", [ApiKey.DeleteGroups] = "0-2",
        };
        Assert.Equal(expected.Count, SupportedApis.Default.All.Count);
        foreach (var (key, range) in expected)
        {
            Assert.True(SupportedApis.Default.TryGet(key, out var api), key.ToString());
            Assert.Equal(range, api.Range.ToString());
        }
    }

    [Fact]
    public void A_response_frame_for_a_flexible_api_other_than_api_versions_uses_header_v1()
    {
        var body = InitProducerIdApi.Declaration.Response.NewDefault();
        var output = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteResponse(output, InitProducerIdApi.Declaration, 2, correlationId: 1, body);
        // size 22 | correlation 1 | header tagged fields 0 | throttle, error, producer id -1, epoch, body tagged 0
        Assert.Equal("00000016" + "00000001" + "00" + "00000000" + "0000" + "FFFFFFFFFFFFFFFF" + "0000" + "00", Hex.Show(output.WrittenSpan));
    }
}
