using AkkaStream.Records.Errors;

namespace AkkaStream.Broker.Topics;

/// <summary>Kafka's topic name rules. Thread-safe (stateless).</summary>
public static class TopicName
{
    /// <summary>Kafka's limit: a partition directory name must stay under 255 characters.</summary>
    public const int MaxLength = 249;

    /// <summary>Throws <c>InvalidTopicException</c> unless the name is legal.</summary>
    public static void Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new AkkaStreamException(ErrorCode.InvalidTopicException, "a topic name must not be empty");
        }
        if (name is "." or "..")
        {
            throw new AkkaStreamException(ErrorCode.InvalidTopicException, $"'{name}' is not a legal topic name");
        }
        if (name.Length > MaxLength)
        {
            throw new AkkaStreamException(ErrorCode.InvalidTopicException,
                $"a topic name may have at most {MaxLength} characters; this one has {name.Length}");
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new AkkaStreamException(ErrorCode.InvalidTopicException,
                    $"topic name '{name}' has the character '{c}'; only ASCII letters, digits, '.', '_' and '-' are allowed");
            }
        }
    }
}
