using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Protocol.Framing;

/// <summary>A request read whole: its header, the declaration of its API, and its body.</summary>
public sealed record DecodedRequest(RequestHeader Header, ApiDeclaration Api, MessageStruct Body);
