using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Messages;

/// <summary>
/// Moves leadership back to each partition's preferred replica (the first in its assignment)
/// where that replica is live and in sync (Kafka's ElectLeaders, preferred election).
/// </summary>
/// <param name="Topics">The topics to balance; null for every topic.</param>
public sealed record ElectLeadersRequest(IReadOnlyList<string>? Topics) : IControlMessage
{
    // Copied: a caller's collection may be of a type the remote serializer refuses.
    public IReadOnlyList<string>? Topics { get; init; } = Topics?.ToArray();
}

/// <param name="Elected">How many partitions got their preferred leader back.</param>
public sealed record ElectLeadersResponse(ErrorCode Error, string? ErrorMessage, int Elected) : IControlMessage, IErrorReply;
