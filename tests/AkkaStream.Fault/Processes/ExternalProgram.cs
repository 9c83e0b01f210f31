using System.Diagnostics;

namespace AkkaStream.Fault.Processes;

/// <summary>What a program that ran to its end printed, and how it exited.</summary>
public sealed record ProgramResult(int ExitCode, string Output, string Errors)
{
    public string Printed => Errors + Output;
}

/// <summary>Runs a short-lived program to its end (initdb, psql, an <c>akkastream</c> admin command) and collects what it printed. Stateless.</summary>
public static class ExternalProgram
{
    /// <param name="workingDirectory">Where it runs; "/" by default, readable by any user the program may switch to.</param>
    /// <param name="environment">Variables set for it on top of this process's.</param>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/>; it was killed.</exception>
    public static async Task<ProgramResult> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout,
        string workingDirectory = "/", IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(program, arguments)} did not finish within {timeout}");
        }
        return new ProgramResult(process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }

    /// <summary>Like <see cref="RunAsync"/>, but a non-zero exit fails with what it printed.</summary>
    /// <returns>Its standard output.</returns>
    public static async Task<string> RunCheckedAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var result = await RunAsync(program, arguments, timeout).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{Describe(program, arguments)} exited with {result.ExitCode}: {result.Printed}");
    }

    private static string Describe(string program, IReadOnlyList<string> arguments) => $"{program} {string.Join(" ", arguments)}";
}
