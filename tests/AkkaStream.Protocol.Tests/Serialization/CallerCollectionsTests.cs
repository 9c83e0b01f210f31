using Akka.Actor;
using Akka.Serialization;
using AkkaStream.Protocol.Messages;
using AkkaStream.Protocol.Serialization;

namespace AkkaStream.Protocol.Tests.Serialization;

/// <summary>
/// Requests built with collection expressions (whose compiled list types the filtered serializer
/// refuses) still cross the wire: the messages copy what callers hand them.
/// </summary>
public class CallerCollectionsTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("collections", ProtocolSerialization.Config);

    [Fact]
    public void Requests_built_from_collection_expressions_round_trip()
    {
        object[] messages =
        [
            new MetadataRequest(["a", "b"]),
            new AlterConfigsRequest("t", new Dictionary<string, string> { ["retention.ms"] = "1" }, ["cleanup.policy"]),
            new CreateTopicRequest("t", 1, 1, new Dictionary<string, string> { ["segment.bytes"] = "1000" }),
        ];
        foreach (var message in messages)
        {
            Assert.Equal(message.GetType(), RoundTrip(message).GetType());
        }
        Assert.Equal(["a", "b"], ((MetadataRequest)RoundTrip(messages[0])).Topics!);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private object RoundTrip(object message)
    {
        var serializer = _system.Serialization.FindSerializerFor(message);
        return _system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));
    }
}
