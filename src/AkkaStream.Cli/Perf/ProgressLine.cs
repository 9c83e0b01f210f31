namespace AkkaStream.Cli.Perf;

/// <summary>
/// A progress line on standard error. On a terminal each report overwrites the previous one in
/// place (carriage return, padded over a longer previous line) and <see cref="End"/> moves to a
/// new line; otherwise (a file, a pipe, a test) each report is a line of its own, so logs keep
/// them all. Not thread-safe: one writer, the progress loop.
/// </summary>
public sealed class ProgressLine(TextWriter error, bool inPlace)
{
    private int _lastLength;

    public bool InPlace => inPlace;

    public async Task WriteAsync(string line)
    {
        if (!inPlace)
        {
            await error.WriteLineAsync(line).ConfigureAwait(false);
            return;
        }
        var padding = Math.Max(0, _lastLength - line.Length);
        await error.WriteAsync("\r" + line + new string(' ', padding)).ConfigureAwait(false);
        await error.FlushAsync().ConfigureAwait(false);
        _lastLength = line.Length;
    }

    /// <summary>Ends the line being rewritten, so that what follows starts on a line of its own.</summary>
    public async Task EndAsync()
    {
        if (inPlace && _lastLength > 0)
        {
            await error.WriteLineAsync().ConfigureAwait(false);
            _lastLength = 0;
        }
    }
}
