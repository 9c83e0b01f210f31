namespace AkkaStream.Storage.Benchmarks;

/// <summary>
/// The scratch directory: every run writes to a fresh path in it and deletes it afterwards, so no
/// run finds another's file in the page cache or on disk. Not thread-safe.
/// </summary>
internal sealed class Scratch : IDisposable
{
    private readonly bool _owned;
    private int _next;

    public Scratch(string? directory)
    {
        _owned = directory is null;
        Root = directory ?? Path.Combine(Path.GetTempPath(), $"akkastream-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A path no run has used yet.</summary>
    public string NewPath(string kind) => Path.Combine(Root, $"{kind}-{_next++}");

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }

    /// <summary>Removes the directory when the benchmark created it; a directory given with --dir is emptied of our files only.</summary>
    public void Dispose()
    {
        if (_owned)
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
