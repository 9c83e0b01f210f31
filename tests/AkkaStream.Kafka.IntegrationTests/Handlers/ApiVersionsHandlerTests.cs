using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.IntegrationTests.Support;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.IntegrationTests.Handlers;

[Collection(KafkaBrokerCollection.Name)]
public sealed class ApiVersionsHandlerTests(KafkaBrokerFixture broker)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_version_lists_the_supported_table(short version)
    {
        await using var client = await WireClient.ConnectAsync(broker.Port);
        await client.SendAsync(ApiVersionsApi.Declaration, version, 7, ApiVersionsApi.Declaration.Request.NewDefault());
        var (correlationId, body) = await client.ReceiveAsync(ApiVersionsApi.Declaration, version);

        Assert.Equal(7, correlationId);
        Assert.Equal((short)ErrorCode.None, body.Get<short>("ErrorCode"));
        var listed = body.Get<object?[]>("ApiKeys").Cast<Protocol.Schema.MessageStruct>()
            .Select(k => (k.Get<short>("ApiKey"), k.Get<short>("MinVersion"), k.Get<short>("MaxVersion"))).ToList();
        var expected = SupportedApis.Default.All.Select(a => ((short)a.Api.Key, a.Range.Lowest, a.Range.Highest)).ToList();
        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task An_unsupported_version_is_answered_in_the_v0_layout_and_the_connection_stays_open()
    {
        await using var client = await WireClient.ConnectAsync(broker.Port);
        // v3's body at version 4: the broker must not read the body, only the header.
        var frame = WireClient.Frame(ApiVersionsApi.Declaration, 3, 11, ApiVersionsApi.Declaration.Request.NewDefault());
        frame[6] = 0;
        frame[7] = 4; // api_version, after the size prefix and the api key
        await client.SendRawAsync(frame);
        var (correlationId, body) = await client.ReceiveAsync(ApiVersionsApi.Declaration, 0);
        Assert.Equal(11, correlationId);
        Assert.Equal((short)ErrorCode.UnsupportedVersion, body.Get<short>("ErrorCode"));
        Assert.NotEmpty(body.Get<object?[]>("ApiKeys"));

        await client.SendAsync(ApiVersionsApi.Declaration, 3, 12, ApiVersionsApi.Declaration.Request.NewDefault());
        var (next, answer) = await client.ReceiveAsync(ApiVersionsApi.Declaration, 3);
        Assert.Equal(12, next);
        Assert.Equal((short)ErrorCode.None, answer.Get<short>("ErrorCode"));
    }
}
