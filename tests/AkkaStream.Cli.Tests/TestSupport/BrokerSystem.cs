using Akka.Actor;
using Akka.Configuration;
using AkkaStream.Protocol.Messages;
using AkkaStream.Protocol.Serialization;

namespace AkkaStream.Cli.Tests.TestSupport;

/// <summary>
/// A broker-shaped ActorSystem ("akkastream" on loopback, a <see cref="FakeGateway"/> at
/// /user/gateway) that the commands reach over Akka.Remote from <see cref="Bootstrap"/>, exactly
/// as they reach a real broker.
/// </summary>
public sealed class BrokerSystem : IAsyncLifetime
{
    public ActorSystem System { get; private set; } = null!;

    /// <summary>host:port of the broker's Akka.Remote endpoint.</summary>
    public string Bootstrap { get; private set; } = "";

    public Task InitializeAsync()
    {
        System = ActorSystem.Create(Gateway.SystemName, ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.loglevel = WARNING
            """).WithFallback(ProtocolSerialization.Config));
        System.ActorOf(Props.Create(() => new FakeGateway()), Gateway.ActorName);
        var address = ((ExtendedActorSystem)System).Provider.DefaultAddress;
        Bootstrap = $"{address.Host}:{address.Port}";
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => System.Terminate();
}
