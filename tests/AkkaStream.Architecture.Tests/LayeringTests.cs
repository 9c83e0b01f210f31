using System.Xml.Linq;

namespace AkkaStream.Architecture.Tests;

/// <summary>
/// The layers of src/ (see src/README.md): each project may reference only the projects and
/// packages listed for it, so that a client application carries only what a client needs and the
/// storage engine stays free of Akka.
/// </summary>
public class LayeringTests
{
    private static readonly Dictionary<string, string[]> AllowedProjects = new()
    {
        ["AkkaStream.Records"] = [],
        ["AkkaStream.Storage"] = ["AkkaStream.Records"],
        ["AkkaStream.Protocol"] = ["AkkaStream.Records"],
        ["AkkaStream.Broker"] = ["AkkaStream.Storage", "AkkaStream.Protocol"],
        ["AkkaStream.Client"] = ["AkkaStream.Protocol"],
        ["AkkaStream.Kafka"] = ["AkkaStream.Records", "AkkaStream.Broker"],
        ["AkkaStream.Web"] = ["AkkaStream.Broker", "AkkaStream.Client", "AkkaStream.Kafka"],
        ["AkkaStream.Cli"] = ["AkkaStream.Broker", "AkkaStream.Client", "AkkaStream.Kafka", "AkkaStream.Web"],
    };

    public static TheoryData<string> Projects() => new(Directory.GetDirectories(SourceRoot()).Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_the_layers_below_it(string project)
    {
        Assert.True(AllowedProjects.TryGetValue(project, out var allowed), $"{project} is not a known layer: add it to src/README.md and to this test");
        var referenced = References(project, "ProjectReference").Select(Path.GetFileNameWithoutExtension);
        Assert.All(referenced, r => Assert.Contains(r, allowed));
    }

    [Theory]
    [InlineData("AkkaStream.Records")]
    [InlineData("AkkaStream.Storage")]
    public void The_data_layers_use_no_akka(string project) =>
        Assert.DoesNotContain(References(project, "PackageReference"), p => p.StartsWith("Akka", StringComparison.Ordinal));

    [Fact]
    public void The_client_never_reaches_broker_or_storage_code()
    {
        var closure = new HashSet<string>();
        void Walk(string project)
        {
            foreach (var r in References(project, "ProjectReference").Select(Path.GetFileNameWithoutExtension).OfType<string>())
            {
                if (closure.Add(r)) Walk(r);
            }
        }
        Walk("AkkaStream.Client");
        Assert.DoesNotContain("AkkaStream.Broker", closure);
        Assert.DoesNotContain("AkkaStream.Storage", closure);
    }

    private static IEnumerable<string> References(string project, string kind)
    {
        var file = Path.Combine(SourceRoot(), project, project + ".csproj");
        // Project files spell paths with backslashes, which are not separators on Linux.
        return XDocument.Load(file).Descendants(kind)
            .Select(e => ((string?)e.Attribute("Include") ?? "").Replace('\\', '/'))
            .Where(s => s.Length > 0)
            .ToList();
    }

    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AkkaStream.sln")))
            {
                return Path.Combine(dir.FullName, "src");
            }
        }
        throw new InvalidOperationException("AkkaStream.sln not found above " + AppContext.BaseDirectory);
    }
}
