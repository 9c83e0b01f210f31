using Akka.Actor;
using Akka.Event;
using AkkaStream.Protocol.Messages;
using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Controller;

// InitProducerId: handing out producer ids from a reserved block (see ProducerIdBlock).
public sealed partial class ControllerActor
{
    private ProducerIdBlock? _producerIds;

    /// <summary>Created on first use, after recovery, from the journal's reservation mark.</summary>
    private ProducerIdBlock ProducerIds => _producerIds ??= new ProducerIdBlock(_state.ProducerIdsReservedUpTo);

    /// <summary>
    /// Answers with a new id (epoch 0). When the block is used up, the next block is persisted
    /// first; Persist stashes the requests that arrive meanwhile, so no id is taken twice.
    /// </summary>
    private void InitProducerId()
    {
        if (!ProducerIds.IsExhausted)
        {
            Sender.Tell(new InitProducerIdResponse(ErrorCode.None, null, ProducerIds.Take(), 0));
            return;
        }
        var sender = Sender;
        Persist(ProducerIds.NextReservation(), e =>
        {
            _state.Apply(e);
            ProducerIds.Reserved(e);
            MaybeSnapshot();
            _log.Info("Controller: producer ids reserved up to {0}", e.UpTo);
            sender.Tell(new InitProducerIdResponse(ErrorCode.None, null, ProducerIds.Take(), 0));
        });
    }
}
