using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Handlers;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Tests.Handlers;

public sealed class DefaultHandlersTests
{
    [Fact]
    public void Every_supported_api_has_a_handler_under_its_own_key()
    {
        var handlers = DefaultHandlers.Create();
        var expected = SupportedApis.Default.All.Select(a => a.Api.Key).Order().ToList();
        Assert.Equal(expected, handlers.Keys.Order().ToList());
        foreach (var key in handlers.Keys)
        {
            Assert.True(handlers.TryGet(key, out var handler));
            Assert.Equal(key, handler.Key);
        }
    }
}
