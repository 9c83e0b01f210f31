using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// The handler of each API the listener serves, by key. Every API of <c>SupportedApis</c> has one:
/// a test checks it, so nothing is advertised that would go unanswered.
/// </summary>
public sealed class KafkaApiHandlers
{
    private readonly Dictionary<ApiKey, IKafkaApiHandler> _byKey;

    public KafkaApiHandlers(IEnumerable<IKafkaApiHandler> handlers) => _byKey = handlers.ToDictionary(h => h.Key);

    public bool TryGet(ApiKey key, out IKafkaApiHandler handler) => _byKey.TryGetValue(key, out handler!);

    public IReadOnlyCollection<ApiKey> Keys => _byKey.Keys;
}
