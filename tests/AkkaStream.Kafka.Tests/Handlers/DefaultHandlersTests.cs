using AkkaStream.Kafka.Apis;
using AkkaStream.Kafka.Handlers;
using AkkaStream.Kafka.Protocol.Schema;

namespace AkkaStream.Kafka.Tests.Handlers;

public sealed class DefaultHandlersTests
{
    /// <summary>
    /// The administration APIs, whose handlers are registered in DefaultHandlers by the admin work;
    /// each one leaves this list when its handler is registered, and the list ends empty.
    /// </summary>
    private static readonly ApiKey[] AdminApisNotYetRegistered =
    [
        ApiKey.CreateTopics,
        ApiKey.DeleteTopics,
        ApiKey.CreatePartitions,
        ApiKey.DescribeConfigs,
        ApiKey.AlterConfigs,
        ApiKey.IncrementalAlterConfigs,
        ApiKey.DeleteRecords,
        ApiKey.DescribeCluster,
    ];

    [Fact]
    public void Every_supported_api_has_a_handler_under_its_own_key()
    {
        var handlers = DefaultHandlers.Create();
        var expected = SupportedApis.Default.All.Select(a => a.Api.Key).Except(AdminApisNotYetRegistered).Order().ToList();
        Assert.Equal(expected, handlers.Keys.Order().ToList());
        foreach (var key in handlers.Keys)
        {
            Assert.True(handlers.TryGet(key, out var handler));
            Assert.Equal(key, handler.Key);
        }
    }
}
