using System.Runtime.InteropServices;

namespace AkkaStream.Broker.Hosting;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation, so that a broker process stops
/// gracefully instead of dying mid-write. Dispose to unregister. Thread-safe.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled when a stop signal arrives.</summary>
    public CancellationToken Token => _cts.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the broker's graceful stop ends it.
        context.Cancel = true;
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A signal handled after the broker already stopped (a second signal, or one delivered
            // to another handler first): there is nothing left to stop.
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cts.Dispose();
    }
}
