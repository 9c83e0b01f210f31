namespace AkkaStream.Kafka.Protocol.Schema;

/// <summary>
/// One Kafka API, declared once: its key, the versions its declaration was written for, the first
/// flexible version (KIP-482: compact strings, bytes and arrays, and a tagged-field section after
/// every struct), and its request and response bodies. Which of the declared versions a broker
/// advertises is decided by <c>SupportedApis</c>, not here.
/// </summary>
public sealed record ApiDeclaration(ApiKey Key, Versions Declared, short FlexibleFrom, StructSchema Request, StructSchema Response)
{
    public bool IsFlexible(short version) => version >= FlexibleFrom;

    public override string ToString() => $"{Key} {Declared}";
}
