using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using AkkaStream.Protocol.Messages;
using AkkaStream.Protocol.Serialization;
using AkkaStream.Records.Errors;

namespace AkkaStream.Protocol.Tests.Serialization;

/// <summary>Two ActorSystems on loopback: protocol messages cross Akka.Remote with our serializers.</summary>
public sealed class RemotingTests : TestKit
{
    private static readonly Config RemoteConfig = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        """).WithFallback(ProtocolSerialization.Config);

    private readonly ActorSystem _broker;

    public RemotingTests() : base(RemoteConfig, "client")
    {
        _broker = ActorSystem.Create(Gateway.SystemName, RemoteConfig);
        _broker.ActorOf(Props.Create(() => new EchoGateway()), Gateway.ActorName);
    }

    [Fact]
    public void A_4_MiB_produce_request_crosses_Akka_Remote_and_its_bytes_come_back_exactly()
    {
        var records = ProtocolMessages.Bytes(4 << 20);
        var gateway = Sys.ActorSelection(GatewayPath());

        gateway.Tell(new ProduceRequest("big", 2, Acks.All, 1000, 5, records), TestActor);

        var reply = ExpectMsg<FetchResponse>(TimeSpan.FromSeconds(20));
        Assert.Equal(("big", 2), (reply.Topic, reply.Partition));
        Assert.True(records.AsSpan().SequenceEqual(reply.Records));
    }

    [Fact]
    public void A_control_message_crosses_Akka_Remote()
    {
        Sys.ActorSelection(GatewayPath()).Tell(MetadataRequest.AllTopics, TestActor);

        var reply = ExpectMsg<MetadataResponse>(TimeSpan.FromSeconds(20));
        Assert.Equal("echo", reply.ClusterId);
    }

    private string GatewayPath()
    {
        var address = ((ExtendedActorSystem)_broker).Provider.DefaultAddress;
        return Gateway.PathFor(address.Host!, address.Port!.Value);
    }

    protected override void AfterAll()
    {
        Shutdown(_broker);
        base.AfterAll();
    }

    /// <summary>Answers a produce with a fetch response carrying the same bytes, and metadata with an empty cluster.</summary>
    private sealed class EchoGateway : ReceiveActor
    {
        public EchoGateway()
        {
            Receive<ProduceRequest>(m => Sender.Tell(new FetchResponse(m.Topic, m.Partition, ErrorCode.None, null, 0, 0, m.Records)));
            Receive<MetadataRequest>(_ => Sender.Tell(new MetadataResponse("echo", -1, 1, [], [])));
        }
    }
}
