using Akka.Actor;
using AkkaStream.Broker.Metadata;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// What a handler may reach on the broker that hosts the listener: its gateway (which routes
/// produce, fetch and list-offsets to the local leader entity, metadata to the cache, and
/// administration to the controller), its metadata view, and the address clients are told to use
/// for it. One per listener; immutable.
/// </summary>
/// <param name="AskTimeout">The longest a handler waits for an actor's answer before it replies RequestTimedOut.</param>
public sealed record KafkaRequestContext(
    int BrokerId,
    IActorRef Gateway,
    MetadataView Metadata,
    KafkaListenerSettings Listener,
    TimeSpan AskTimeout);
