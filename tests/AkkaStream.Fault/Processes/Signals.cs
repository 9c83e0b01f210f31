using System.ComponentModel;
using System.Runtime.InteropServices;

namespace AkkaStream.Fault.Processes;

/// <summary>POSIX signals to another process: .NET can only SIGKILL one (<c>Process.Kill</c>). Linux numbering.</summary>
internal static class Signals
{
    public const int Kill = 9;
    public const int Term = 15;
    public const int Cont = 18;
    public const int Stop = 19;

    public static void Send(int pid, int signal)
    {
        if (SendSignal(pid, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({pid}, {signal}) failed");
        }
    }

    // DllImport rather than LibraryImport: the generated form needs unsafe code, which the build forbids.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
