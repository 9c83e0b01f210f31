using Akka.Actor;
using AkkaStream.Broker.Metadata;
using AkkaStream.Broker.Metrics;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// What a handler may reach on the broker that hosts the listener: its gateway (which routes
/// produce, fetch and list-offsets to the local leader entity, metadata to the cache, and
/// administration to the controller), its metadata view, and the address clients are told to use
/// for it; and, for a connection's requests, the host the client connects from. One per listener,
/// copied per connection with <see cref="ClientHost"/> set; immutable.
/// </summary>
/// <param name="AskTimeout">The longest a handler waits for an actor's answer before it replies RequestTimedOut.</param>
/// <param name="Requests">Where the listener counts and times each request by API (the broker's <c>akkastream_kafka_request_*</c> metrics).</param>
public sealed record KafkaRequestContext(
    int BrokerId,
    IActorRef Gateway,
    MetadataView Metadata,
    KafkaListenerSettings Listener,
    TimeSpan AskTimeout,
    RequestMetrics Requests)
{
    /// <summary>The connection's remote address as Kafka prints it (<c>/127.0.0.1</c>), which DescribeGroups shows as a member's host; empty outside a connection.</summary>
    public string ClientHost { get; init; } = "";
}
