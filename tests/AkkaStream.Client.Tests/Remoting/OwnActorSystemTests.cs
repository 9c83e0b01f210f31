using Akka.Actor;
using Akka.Configuration;
using AkkaStream.Protocol.Messages;
using AkkaStream.Protocol.Serialization;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Tests.Remoting;

/// <summary>
/// The client in its own ActorSystem reaches a broker-shaped ActorSystem ("akkastream", a gateway
/// at /user/gateway) over Akka.Remote from a host:port bootstrap entry.
/// </summary>
public sealed class OwnActorSystemTests : IAsyncLifetime
{
    private ActorSystem _broker = null!;

    public Task InitializeAsync()
    {
        _broker = ActorSystem.Create(Gateway.SystemName, ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """).WithFallback(ProtocolSerialization.Config));
        _broker.ActorOf(Props.Create(() => new OneBrokerGateway()), Gateway.ActorName);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _broker.Terminate();

    [Fact]
    public async Task A_record_produced_from_the_client_system_reaches_the_broker_system()
    {
        var port = ((ExtendedActorSystem)_broker).Provider.DefaultAddress.Port!.Value;
        await using var client = AkkaStreamClient.Create(ConfigurationFactory.ParseString(
            $"akkastream.client.bootstrap-servers = [\"127.0.0.1:{port}\"]"));
        await using var producer = client.CreateProducer(client.Settings.Producer with { Linger = TimeSpan.Zero });

        var report = await producer.ProduceAsync("orders", "k", new string('x', 512 << 10)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal((0, 1000L), (report.Partition, report.Offset));
    }

    /// <summary>A one-broker cluster with topic "orders" (one partition), that hands out producer id 1 and acknowledges every produce at offset 1000.</summary>
    private sealed class OneBrokerGateway : ReceiveActor
    {
        public OneBrokerGateway()
        {
            var address = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;
            var path = Gateway.PathFor(address.Host!, address.Port!.Value);
            Receive<MetadataRequest>(_ => Sender.Tell(new MetadataResponse("c", 1, 1,
                [new BrokerMetadata(1, path, "", 0)],
                [new TopicMetadata("orders", Guid.Empty, ErrorCode.None, [new PartitionMetadata(0, ErrorCode.None, 1, 0, [1], [1])])])));
            Receive<InitProducerIdRequest>(_ => Sender.Tell(new InitProducerIdResponse(ErrorCode.None, null, 1, 0)));
            Receive<ProduceRequest>(m => Sender.Tell(new ProduceResponse(m.Topic, m.Partition, ErrorCode.None, null, 1000, -1, 0)));
        }
    }
}
