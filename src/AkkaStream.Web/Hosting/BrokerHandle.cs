using AkkaStream.Broker.Hosting;

namespace AkkaStream.Web.Hosting;

/// <summary>
/// The broker the HTTP endpoints serve. The listener binds before the broker starts (so that a port
/// of 0 can be published as the port it got), so for a moment there is no broker yet: endpoints
/// then answer that it is starting. Thread-safe: set once, read by any request.
/// </summary>
public sealed class BrokerHandle
{
    private BrokerNode? _node;

    /// <summary>Null until the broker has started.</summary>
    public BrokerNode? Node => Volatile.Read(ref _node);

    internal void Attach(BrokerNode node) => Volatile.Write(ref _node, node);
}
