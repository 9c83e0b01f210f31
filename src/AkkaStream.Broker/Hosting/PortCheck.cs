using System.Net;
using System.Net.Sockets;
using AkkaStream.Broker.Configuration;

namespace AkkaStream.Broker.Hosting;

/// <summary>
/// Finds a listener's port taken before anything starts, so that start-up stops with the setting's
/// name instead of failing deep inside Akka.Remote or a web host. Every listener of a broker calls
/// it with its own key (<c>akkastream.listener.port</c>, <c>akkastream.kafka.port</c>,
/// <c>akkastream.http.port</c>). Thread-safe (stateless).
/// </summary>
public static class PortCheck
{
    /// <summary>
    /// Binds <paramref name="host"/>:<paramref name="port"/> for a moment and lets it go. Port 0
    /// (pick a free one) always passes. Another process can still take the port in between; the
    /// listener's own bind then fails, but this catches the common case of a second broker started
    /// with the same file.
    /// </summary>
    /// <exception cref="BrokerConfigException">The port is taken, or the host is not an address of this machine.</exception>
    public static void EnsureFree(string key, string host, int port)
    {
        if (port == 0) return;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var address) ? [address] : Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            throw new BrokerConfigException(key, $"cannot resolve the host '{host}' to listen on port {port}: {e.Message}", e);
        }
        foreach (var address in addresses)
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (!OperatingSystem.IsWindows())
            {
                // As listeners do on Linux: a port whose old connections linger in TIME_WAIT is free;
                // one with a live listener still refuses the bind.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(1);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new BrokerConfigException(key, $"port {port} on {host} is already in use by another process; expected a free port (or 0 for any)", e);
            }
            catch (SocketException e)
            {
                throw new BrokerConfigException(key, $"cannot listen on {host}:{port} ({e.SocketErrorCode}: {e.Message}); expected an address of this machine and a port it may use", e);
            }
        }
    }
}
