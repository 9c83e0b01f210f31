using AkkaStream.Client.Consumer;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;
using AkkaStream.Records.Ids;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// <c>GET /api/topics/{topic}/partitions/{partition}/records</c>: the message browser. From
/// <c>offset</c> (default: the log start) or from <c>timestamp</c> (ms or ISO-8601, through
/// ListOffsets by time), at most <c>limit</c> records, read from the partition's leader by the
/// consumer's fetch (so only committed records, up to the high watermark). Keys, values and
/// headers longer than <c>valueLimit</c> bytes are cut, with their size given. <c>nextOffset</c>
/// is where the next page starts.
/// </summary>
internal static class RecordsApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 500;
    public const int DefaultValueLimit = 1024;
    public const int MaxValueLimit = 1 << 20;

    /// <summary>The bytes one fetch asks for: a page rarely needs more than one.</summary>
    private const int FetchBytes = 1 << 20;

    /// <summary>Fetches one page may make before it answers with what it has (a partition of tiny batches).</summary>
    private const int MaxFetches = 16;

    public sealed record HeaderView(string Key, BytesView? Value);

    public sealed record RecordView(long Offset, long Timestamp, string TimestampType, BytesView? Key, BytesView? Value, IReadOnlyList<HeaderView> Headers);

    /// <param name="StartOffset">Where this page began (for a timestamp, the offset ListOffsets gave; the high watermark when no record is that recent).</param>
    public sealed record PageView(string Topic, int Partition, long StartOffset, long NextOffset, long LogStartOffset, long HighWatermark, IReadOnlyList<RecordView> Records);

    public static void Map(IEndpointRouteBuilder routes, ConsoleContext console)
    {
        routes.MapGet("/api/topics/{topic}/partitions/{partition}/records", (string topic, string partition, HttpRequest request, CancellationToken cancel) =>
            console.Run(async (node, client, ct) =>
            {
                var query = request.Query;
                if (!node.Metadata.Current.Topics.TryGetValue(topic, out var state))
                {
                    return ApiError.Result(ErrorCode.UnknownTopicOrPartition, $"there is no topic '{topic}'");
                }
                if (!QueryValues.TryLong(partition, "partition", 0, 0, state.Partitions.Count - 1, out var p, out var error, ErrorCode.UnknownTopicOrPartition)
                    || !QueryValues.TryLong(query["offset"], "offset", -1, 0, long.MaxValue, out var offset, out error, ErrorCode.OffsetOutOfRange)
                    || !QueryValues.TryTimestamp(query["timestamp"], "timestamp", out var timestamp, out error)
                    || !QueryValues.TryLong(query["limit"], "limit", DefaultLimit, 1, MaxLimit, out var limit, out error)
                    || !QueryValues.TryLong(query["valueLimit"], "valueLimit", DefaultValueLimit, 0, MaxValueLimit, out var valueLimit, out error))
                {
                    return error!;
                }
                if (offset >= 0 && timestamp is not null)
                {
                    return ApiError.Result(ErrorCode.InvalidRequest, "give offset or timestamp, not both");
                }
                var tp = new TopicPartition(topic, (int)p);
                var browser = client.CreateBrowser();
                var start = offset >= 0 ? offset
                    : await browser.OffsetForAsync(tp, timestamp ?? ListOffsetsRequest.Earliest, ct).ConfigureAwait(false);
                if (start < 0)
                {
                    // No record is as recent as the timestamp: the page is empty and starts at the end.
                    start = await browser.OffsetForAsync(tp, ListOffsetsRequest.Latest, ct).ConfigureAwait(false);
                }
                return Results.Json(await ReadPageAsync(browser, tp, start, (int)limit, (int)valueLimit, ct).ConfigureAwait(false));
            }, cancel));
    }

    private static async Task<PageView> ReadPageAsync(PartitionBrowser browser, TopicPartition tp, long start, int limit, int valueLimit, CancellationToken cancellationToken)
    {
        var records = new List<RecordView>(limit);
        var next = start;
        BrowsedPage? page = null;
        for (var fetch = 0; fetch < MaxFetches && records.Count < limit; fetch++)
        {
            var from = next;
            page = await browser.ReadAsync(tp, from, FetchBytes, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Records)
            {
                if (records.Count == limit) break;
                records.Add(View(record, valueLimit));
                next = record.Offset + 1;
            }
            // Past the last record fetched (control batches and compacted gaps hold offsets without records).
            if (records.Count < limit) next = Math.Max(next, page.NextOffset);
            if (next <= from || next >= page.HighWatermark) break;
        }
        return new PageView(tp.Topic, tp.Partition, start, next, page!.LogStartOffset, page.HighWatermark, records);
    }

    private static RecordView View(ConsumeRecord record, int valueLimit) =>
        new(record.Offset, record.Timestamp, record.TimestampType.ToString(),
            BytesView.Of(record.Key, valueLimit), BytesView.Of(record.Value, valueLimit),
            record.Headers.Select(h => new HeaderView(h.Key, BytesView.Of(h.Value, valueLimit))).ToArray());
}
