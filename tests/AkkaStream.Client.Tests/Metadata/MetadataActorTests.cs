using Akka.Actor;
using AkkaStream.Client.Metadata;
using AkkaStream.Client.Tests.TestSupport;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Client.Tests.Metadata;

public sealed class MetadataActorTests() : FakeCluster
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_disposed_producer_does_not_crash_the_metadata_actor_and_subscribers_keep_their_snapshots()
    {
        var subscriber = CreateTestProbe();
        Client.Metadata.Tell(new MetadataActor.Subscribe(subscriber.Ref));
        subscriber.ExpectMsg<ClusterSnapshot>(Wait);

        var producer = Client.CreateProducer(Settings.Producer with { Linger = TimeSpan.Zero });
        var delivered = producer.ProduceAsync("orders", "k", "v");
        Broker1.Reply(Ok(Broker1.ExpectMsg<ProduceRequest>(Wait), 1));
        await delivered.WaitAsync(Wait);

        // The producer unsubscribes as it stops, and then its Terminated arrives: that must be handled.
        await EventFilter.Exception<DeathPactException>().ExpectAsync(0, TimeSpan.FromSeconds(1), async () =>
        {
            Watch(producer.Actor);
            await producer.DisposeAsync();
            ExpectTerminated(producer.Actor, Wait);
        });

        // Subscribers made before the producer stopped still get every new snapshot.
        Client.Metadata.Tell(MetadataActor.Refresh.Instance);
        subscriber.ExpectMsg<ClusterSnapshot>(Wait);
    }
}
