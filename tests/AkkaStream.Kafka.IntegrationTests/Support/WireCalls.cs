using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.IntegrationTests.Support;

/// <summary>For handler tests: request bodies built field by field, and one request answered over a fresh connection.</summary>
public static class WireCalls
{
    /// <summary>One request at <paramref name="version"/> over a fresh connection to <paramref name="port"/>; the response body.</summary>
    public static async Task<MessageStruct> CallAsync(int port, ApiDeclaration api, short version, MessageStruct body)
    {
        await using var client = await WireClient.ConnectAsync(port);
        await client.SendAsync(api, version, 7, body);
        var (correlationId, response) = await client.ReceiveAsync(api, version);
        Assert.Equal(7, correlationId);
        return response;
    }

    /// <summary>A struct of <paramref name="schema"/> with the given fields set and the others at their defaults.</summary>
    public static MessageStruct Build(StructSchema schema, params (string Field, object? Value)[] values)
    {
        var message = schema.NewDefault();
        foreach (var (field, value) in values) message[field] = value;
        return message;
    }

    /// <summary>A Fetch body for <paramref name="partitions"/> of <paramref name="topic"/> (1 MiB each), as a consumer sends it.</summary>
    public static MessageStruct Fetch(string topic, int maxWaitMs, int minBytes, params (int Partition, long Offset)[] partitions)
    {
        var request = FetchApi.Declaration.Request;
        var topicSchema = request.ElementOf("Topics");
        var partitionSchema = topicSchema.ElementOf("Partitions");
        return request.NewDefault()
            .With("ReplicaId", -1)
            .With("MaxWaitMs", maxWaitMs)
            .With("MinBytes", minBytes)
            .With("MaxBytes", 1 << 20)
            .With("Topics", new object?[]
            {
                topicSchema.NewDefault().With("Topic", topic).With("Partitions", partitions
                    .Select(p => (object?)partitionSchema.NewDefault().With("Partition", p.Partition).With("FetchOffset", p.Offset).With("PartitionMaxBytes", 1 << 20))
                    .ToArray()),
            });
    }

    /// <summary>A Produce body of one batch, <paramref name="records"/>, for one partition.</summary>
    public static MessageStruct Produce(string topic, short acks, int partition, byte[] records)
    {
        var request = ProduceApi.Declaration.Request;
        var topicSchema = request.ElementOf("Topics");
        return request.NewDefault()
            .With("Acks", acks)
            .With("TimeoutMs", 10_000)
            .With("Topics", new object?[]
            {
                topicSchema.NewDefault().With("Name", topic).With("Partitions", new object?[]
                {
                    topicSchema.ElementOf("Partitions").NewDefault().With("PartitionIndex", partition).With("Records", records),
                }),
            });
    }
}
