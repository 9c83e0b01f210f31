using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using AkkaStream.Protocol.Serialization;

namespace AkkaStream.Protocol.Tests.Serialization
{
    public sealed class HyperionSerializerTests() : TestKit(ProtocolSerialization.Config)
    {
        public static TheoryData<int> MessageIndexes() => new(Enumerable.Range(0, ProtocolMessages.Control().Count()));

        [Theory]
        [MemberData(nameof(MessageIndexes))]
        public void Every_control_message_round_trips_through_the_filtered_hyperion(int index)
        {
            var message = ProtocolMessages.Control().ElementAt(index);

            var serializer = Sys.Serialization.FindSerializerFor(message);
            var bytes = serializer.ToBinary(message);
            var copy = Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));

            Assert.IsType<AkkaStreamHyperionSerializer>(serializer);
            Assert.Equivalent(message, copy, strict: true);
        }

        [Fact]
        public void A_type_outside_AkkaStream_is_refused_when_serialized()
        {
            Assert.Throws<SerializationException>(() => Filtered().ToBinary(new Outside.Denied("x")));
        }

        [Fact]
        public void A_type_outside_AkkaStream_nested_in_our_message_is_refused_when_serialized()
        {
            Assert.Throws<SerializationException>(() => Filtered().ToBinary(new Carrier(new Outside.Denied("x"))));
        }

        [Fact]
        public void A_type_outside_AkkaStream_is_refused_when_deserialized()
        {
            // What a node without the filter would send: plain Hyperion bytes naming the denied type.
            var unfiltered = new HyperionSerializer((ExtendedActorSystem)Sys);
            var bytes = unfiltered.ToBinary(new Carrier(new Outside.Denied("x")));
            var plain = unfiltered.ToBinary(new Outside.Denied("y"));

            Assert.Throws<SerializationException>(() => Filtered().FromBinary(bytes, typeof(object)));
            Assert.Throws<SerializationException>(() => Filtered().FromBinary(plain, typeof(object)));
        }

        [Fact]
        public void Our_type_carrying_an_allowed_payload_round_trips()
        {
            var message = new Carrier(new Dictionary<string, List<Guid>> { ["a"] = [Guid.NewGuid()] });

            var copy = Filtered().FromBinary(Filtered().ToBinary(message), typeof(object));

            Assert.Equivalent(message, copy, strict: true);
        }

        private AkkaStreamHyperionSerializer Filtered() =>
            (AkkaStreamHyperionSerializer)Sys.Serialization.FindSerializerForType(typeof(Carrier));
    }

    /// <summary>An AkkaStream type that carries an arbitrary payload, to test nested types.</summary>
    public sealed record Carrier(object Payload) : IHyperionSerializable;
}

namespace Outside
{
    /// <summary>A type outside AkkaStream's namespaces: the filter must refuse it.</summary>
    public sealed record Denied(string Value);
}
