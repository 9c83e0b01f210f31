using Akka.Configuration;

namespace AkkaStream.Client.Configuration;

/// <summary>
/// The settings every part of the client shares, read from <c>akkastream.client</c>
/// (defaults and their Kafka names in the embedded <c>reference.conf</c>). Immutable.
/// </summary>
public sealed record ClientSettings(
    IReadOnlyList<string> BootstrapServers,
    TimeSpan RequestTimeout,
    TimeSpan MetadataMaxAge,
    TimeSpan RetryBackoff,
    TimeSpan RetryBackoffMax,
    ProducerSettings Producer,
    ConsumerSettings Consumer)
{
    /// <summary>The embedded defaults.</summary>
    public static Config DefaultConfig { get; } =
        ConfigurationFactory.FromResource<ClientSettings>("AkkaStream.Client.reference.conf");

    /// <summary>Kafka: client.id. Names this client to the brokers (a group member's CLIENT-ID); empty lets each part choose its own.</summary>
    public string ClientId { get; init; } = "";

    /// <summary>Reads <c>akkastream.client</c> from <paramref name="config"/>, falling back to the defaults.</summary>
    public static ClientSettings Create(Config? config = null)
    {
        var root = (config ?? Config.Empty).WithFallback(DefaultConfig);
        var c = root.GetConfig("akkastream.client");
        return new ClientSettings(
            BootstrapServers: c.GetStringList("bootstrap-servers").ToArray(),
            RequestTimeout: c.GetTimeSpan("request-timeout"),
            MetadataMaxAge: c.GetTimeSpan("metadata-max-age"),
            RetryBackoff: c.GetTimeSpan("retry-backoff"),
            RetryBackoffMax: c.GetTimeSpan("retry-backoff-max"),
            Producer: ProducerSettings.Create(c.GetConfig("producer")),
            Consumer: ConsumerSettings.Create(c.GetConfig("consumer")))
        {
            ClientId = c.GetString("client-id", "") ?? "",
        };
    }

    /// <summary>
    /// The gateway actor path of every bootstrap entry: host:port becomes
    /// <see cref="Protocol.Messages.Gateway.PathFor"/>; a full actor path is kept as it is.
    /// </summary>
    public IReadOnlyList<string> BootstrapGatewayPaths() =>
        BootstrapServers.Select(BootstrapAddress.ToGatewayPath).ToArray();

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 for the first retry).</summary>
    public TimeSpan BackoffFor(int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        var ms = Math.Min(RetryBackoff.TotalMilliseconds * factor, RetryBackoffMax.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Max(ms, RetryBackoff.TotalMilliseconds));
    }
}
