using AkkaStream.Broker.Hosting;
using AkkaStream.Broker.Tests.Support;

namespace AkkaStream.Broker.Tests.EndToEnd.Groups;

/// <summary>
/// One broker with short group timings (<see cref="GroupNodes.Config"/>) for an end-to-end group
/// test, and the group members the test started: every member still running is closed before the
/// broker stops.
/// </summary>
public abstract class GroupBrokerTest : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    protected BrokerNode Node { get; private set; } = null!;

    /// <summary>The members still running; a test removes one it closed or crashed itself.</summary>
    protected List<GroupMemberRunner> Members { get; } = [];

    public async Task InitializeAsync()
    {
        Node = await BrokerNode.StartAsync(GroupNodes.Config(_dir));
        await Eventually.True(() => Node.Metadata.Current.Brokers.Count == 1, because: "the broker publishes itself");
    }

    public async Task DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.DisposeAsync();
        }
        await Node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _dir.Dispose();
    }

    /// <summary>Keeps <paramref name="member"/> to be closed with the test.</summary>
    protected GroupMemberRunner Track(GroupMemberRunner member)
    {
        Members.Add(member);
        return member;
    }
}
