using System.Text;

namespace AkkaStream.Broker.Logs;

/// <summary>
/// The <c>partition.metadata</c> file in each partition directory, as Kafka keeps it: the id of
/// the topic the log belongs to, so that a topic deleted and created again under the same name
/// never serves the old topic's records. Thread-safe (stateless).
/// </summary>
public static class PartitionMetadataFile
{
    public const string FileName = "partition.metadata";

    public static void Write(string directory, Guid topicId)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, $"version: 0\ntopic_id: {topicId:N}\n", Encoding.ASCII);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The topic id, or null when the file is missing or unreadable.</summary>
    public static Guid? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.StartsWith("topic_id:", StringComparison.Ordinal) && Guid.TryParse(line["topic_id:".Length..].Trim(), out var id))
            {
                return id;
            }
        }
        return null;
    }
}
