using System.Net;
using System.Net.Sockets;

namespace AkkaStream.Fault.Processes;

/// <summary>Loopback ports nothing listens on, so parallel runs never collide on the node files' 2552...</summary>
public static class FreePorts
{
    /// <summary>
    /// <paramref name="count"/> distinct ports the operating system handed out for port 0. All
    /// listeners stay open until every port is chosen, so the ports differ from each other.
    /// </summary>
    public static IReadOnlyList<int> Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
