using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// Serializes the <see cref="IDataPlaneMessage"/>s (produce and fetch, requests and responses) in
/// the small hand-written layouts of <see cref="DataPlaneLayouts"/>. Record batches are copied as
/// they are, once each way, with no per-record work: this is the path every record travels.
/// An unknown manifest or layout version is a <see cref="SerializationException"/>, which
/// Akka.Remote treats as "drop this message" rather than "drop the connection".
/// Stateless, so thread-safe.
/// </summary>
public sealed class DataPlaneSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 7001;

    internal const string ProduceRequestManifest = "PQ";
    internal const string ProduceResponseManifest = "PS";
    internal const string FetchRequestManifest = "FQ";
    internal const string FetchResponseManifest = "FS";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        ProduceRequest => ProduceRequestManifest,
        ProduceResponse => ProduceResponseManifest,
        FetchRequest => FetchRequestManifest,
        FetchResponse => FetchResponseManifest,
        _ => throw Unsupported(o),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        ProduceRequest m => DataPlaneLayouts.Write(m),
        ProduceResponse m => DataPlaneLayouts.Write(m),
        FetchRequest m => DataPlaneLayouts.Write(m),
        FetchResponse m => DataPlaneLayouts.Write(m),
        _ => throw Unsupported(obj),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var reader = new SpanReader(bytes, manifest);
        // Decide on the manifest before reading the version, so that an unknown manifest is
        // reported as such even for an empty payload.
        if (manifest is not (ProduceRequestManifest or ProduceResponseManifest or FetchRequestManifest or FetchResponseManifest))
        {
            throw new SerializationException($"Unknown data-plane manifest '{manifest}' for {nameof(DataPlaneSerializer)}.");
        }
        var version = reader.ReadByte();
        if (version != DataPlaneLayouts.Version)
        {
            throw new SerializationException(
                $"Data-plane message '{manifest}' has layout version {version}; this node reads version {DataPlaneLayouts.Version}.");
        }
        return manifest switch
        {
            ProduceRequestManifest => DataPlaneLayouts.ReadProduceRequest(ref reader),
            ProduceResponseManifest => DataPlaneLayouts.ReadProduceResponse(ref reader),
            FetchRequestManifest => DataPlaneLayouts.ReadFetchRequest(ref reader),
            _ => DataPlaneLayouts.ReadFetchResponse(ref reader),
        };
    }

    private static SerializationException Unsupported(object o) =>
        new($"{nameof(DataPlaneSerializer)} cannot serialize {o.GetType().FullName}; it takes produce and fetch messages only.");
}
