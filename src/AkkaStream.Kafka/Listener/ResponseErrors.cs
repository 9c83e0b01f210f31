using AkkaStream.Broker.Metrics;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Listener;

/// <summary>
/// Counts the error codes a response carries, as Kafka's ErrorsPerSec does: every <c>ErrorCode</c>
/// field, at the top and in each topic, partition or member entry, one count per occurrence. Walks
/// the response's structs only (record bytes are not looked into). Stateless.
/// </summary>
internal static class ResponseErrors
{
    private const string ErrorCodeField = "ErrorCode";

    public static void Count(MessageStruct response, RequestMeters meters)
    {
        var fields = response.Schema.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            switch (response[i])
            {
                case short code when code != 0 && fields[i].Name == ErrorCodeField:
                    meters.Failed((ErrorCode)code);
                    break;
                case MessageStruct nested:
                    Count(nested, meters);
                    break;
                case object?[] elements:
                    foreach (var element in elements)
                    {
                        if (element is MessageStruct entry) Count(entry, meters);
                    }
                    break;
            }
        }
    }
}
