using AkkaStream.Client;

namespace AkkaStream.Cli.Hosting;

/// <summary>
/// Runs the body of every client command the same way: connect a client to the --bootstrap
/// servers, run, dispose the client, and turn whatever failed into an exit code and an error line.
/// </summary>
public static class ClientRunner
{
    public static async Task<int> RunAsync(
        CliEnvironment environment,
        IReadOnlyList<string> bootstrap,
        Func<AkkaStreamClient, CancellationToken, Task<int>> body,
        CancellationToken cancellation)
    {
        try
        {
            var client = environment.Connect(bootstrap);
            await using (client.ConfigureAwait(false))
            {
                return await body(client, cancellation).ConfigureAwait(false);
            }
        }
        catch (Exception failure)
        {
            return ExitCodes.Report(failure, environment.Error, cancellation);
        }
        finally
        {
            await environment.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
