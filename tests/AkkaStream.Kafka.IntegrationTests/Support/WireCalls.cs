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
}
