using Akka.Actor;

namespace AkkaStream.Client.Internal;

/// <summary>
/// Gateway actor paths resolved once into actor refs. A request sent through an
/// <see cref="ActorSelection"/> travels as a selection the broker walks from its root for every
/// message, and the selection is rebuilt for every send; a resolved ref is sent to directly. A
/// remote ref needs no round trip to resolve, and a gateway that is gone meanwhile still only means
/// no answer (the request times out), as with a selection. Owned by one actor: not thread-safe.
/// </summary>
internal sealed class GatewayRefs(ActorSystem system)
{
    private readonly Dictionary<string, IActorRef> _byPath = new(StringComparer.Ordinal);

    public IActorRef For(string gatewayPath)
    {
        if (!_byPath.TryGetValue(gatewayPath, out var gateway))
        {
            gateway = ((ExtendedActorSystem)system).Provider.ResolveActorRef(gatewayPath);
            _byPath[gatewayPath] = gateway;
        }
        return gateway;
    }
}
