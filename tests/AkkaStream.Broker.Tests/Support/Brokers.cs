using AkkaStream.Broker.Hosting;
using Xunit.Abstractions;

namespace AkkaStream.Broker.Tests.Support;

/// <summary>What multi-broker tests do at the end.</summary>
public static class Brokers
{
    /// <summary>Stops every broker still running, the last started first; a broker that does not stop in time is reported, not fatal.</summary>
    public static async Task StopAllAsync(IEnumerable<BrokerNode> live, ITestOutputHelper output)
    {
        foreach (var node in live.Reverse().ToList())
        {
            try
            {
                await node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception e)
            {
                output.WriteLine($"stopping broker {node.Settings.BrokerId}: {e.Message}");
            }
        }
    }
}
