using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaStream.Web.Console;

/// <summary>
/// The console's page, style sheet and script, embedded in this assembly (so that a published
/// broker is one file, with no build step for the page and no CDN), served with their content
/// types (the console's endpoints turn caching off).
/// </summary>
internal static class ConsoleAssets
{
    private const string ResourcePrefix = "AkkaStream.Web.Console.Assets.";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    };

    /// <summary>Each asset's bytes, read once: they cannot change while the process runs.</summary>
    private static readonly Dictionary<string, byte[]> Files = Load();

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Serve("index.html"));
        routes.MapGet("/console/{file}", (string file) => Serve(file));
    }

    private static IResult Serve(string file)
    {
        if (!Files.TryGetValue(file, out var bytes) || !ContentTypes.TryGetValue(Path.GetExtension(file), out var type))
        {
            return Results.NotFound();
        }
        return Results.Bytes(bytes, type);
    }

    private static Dictionary<string, byte[]> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[ResourcePrefix.Length..]] = copy.ToArray();
        }
        return files;
    }
}
