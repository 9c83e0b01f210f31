using System.Text;
using Akka.Actor;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.EventLogging;

/// <summary>
/// Writes the <c>request-refused</c> event (Warning) for requests answered with an error code. A
/// client that retries a refused request (a producer with a stale leader retries every few
/// milliseconds) would fill the log with the same line, so the first refusal of an api, error,
/// partition and client is written at once, the same refusals within <see cref="Window"/> after it
/// are only counted, and the next one written after the window carries <c>suppressed=N</c>.
/// Thread-safe: the Kafka listener's connections share one.
/// </summary>
public sealed class RefusedRequests(EventLog log, TimeSpan window)
{
    /// <summary>The window operators get unless a test asks for another.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    private const int MaxTracked = 4096;

    private readonly Dictionary<(string Api, ErrorCode Error, string Topic, int Partition, string Client), Tally> _tallies = [];

    public RefusedRequests(EventLog log) : this(log, DefaultWindow)
    {
    }

    public TimeSpan Window => window;

    /// <param name="topic">The topic the request was for, when it names one.</param>
    /// <param name="partition">Its partition, or -1.</param>
    /// <param name="client">Who asked: an address, a connection, a broker.</param>
    public void Write(string api, ErrorCode error, string? topic, int partition, string client, string? reason)
    {
        var now = Environment.TickCount64;
        var key = (api, error, topic ?? "", partition, client);
        long suppressed;
        lock (_tallies)
        {
            if (_tallies.TryGetValue(key, out var tally) && now - tally.WrittenAtMs < (long)window.TotalMilliseconds)
            {
                tally.Suppressed++;
                return;
            }
            suppressed = tally?.Suppressed ?? 0;
            if (_tallies.Count >= MaxTracked) Forget(now);
            _tallies[key] = new Tally { WrittenAtMs = now };
        }
        var line = EventLine.Warning("request-refused").With("api", api).With("error", error.ToString());
        if (topic is not null) line.With("topic", topic);
        if (partition >= 0) line.With("partition", partition);
        line.With("client", client);
        if (suppressed > 0) line.With("suppressed", suppressed);
        log.Write(line.With("reason", reason));
    }

    /// <summary>Writes the refusal of <paramref name="request"/>, whose api name comes from its type.</summary>
    public void Write(object request, ErrorCode error, string? topic, int partition, IActorRef sender, string? reason) =>
        Write(ApiName(request), error, topic, partition, ClientOf(sender), reason);

    /// <summary>Kebab-case from the request's type: <c>ProduceRequest</c> is <c>produce</c>, <c>ReplicaFetch</c> <c>replica-fetch</c>.</summary>
    public static string ApiName(object request)
    {
        var name = request.GetType().Name;
        return KebabCase(name.EndsWith("Request", StringComparison.Ordinal) && name.Length > "Request".Length ? name[..^"Request".Length] : name);
    }

    /// <summary><c>ApiVersions</c> reads <c>api-versions</c>.</summary>
    public static string KebabCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    /// <summary>A remote client's address; <c>local</c> for a sender in this broker (the Kafka listener, whose own line names the connection).</summary>
    public static string ClientOf(IActorRef sender) =>
        sender.Path.Address.HasGlobalScope ? sender.Path.Address.ToString() : "local";

    private void Forget(long now)
    {
        foreach (var (key, tally) in _tallies.ToList())
        {
            if (now - tally.WrittenAtMs >= (long)window.TotalMilliseconds) _tallies.Remove(key);
        }
        // Every entry still in its window: start again rather than grow without bound.
        if (_tallies.Count >= MaxTracked) _tallies.Clear();
    }

    private sealed class Tally
    {
        public long WrittenAtMs { get; init; }

        public long Suppressed { get; set; }
    }
}
