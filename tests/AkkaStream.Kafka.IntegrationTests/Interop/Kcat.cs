using System.Diagnostics;

namespace AkkaStream.Kafka.IntegrationTests.Interop;

/// <summary>
/// Runs librdkafka's <c>kcat</c> as a process. A machine without it fails the test that needs it,
/// saying how to install it: the interop test is never skipped.
/// </summary>
public static class Kcat
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>kcat's full path.</summary>
    public static string Require()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kcat"))
            .FirstOrDefault(File.Exists);
        if (found is not null) return found;
        var ci = Environment.GetEnvironmentVariable("CI") == "true";
        Assert.Fail(ci
            ? "kcat is not installed, and a CI run requires it: tests/run-all.sh installs it with `apt-get install -y kcat`; see why that failed in its output"
            : "kcat is not installed: install it with `apt-get install -y kcat` (tests/run-all.sh does so itself)");
        return "";
    }

    /// <summary>Runs kcat with <paramref name="arguments"/>; fails the test when it does not end within <see cref="Timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Require())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kcat did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"kcat {string.Join(' ', arguments)} did not end within {Timeout.TotalSeconds} s; it wrote: {await errors}");
        }
        return (process.ExitCode, await output, await errors);
    }
}
