using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Records.Errors;

namespace AkkaStream.Kafka.Apis;

/// <summary>Builds ApiVersions responses from the <see cref="SupportedApis"/> table, so what is advertised is exactly what is served.</summary>
public static class ApiVersionsResponses
{
    public static MessageStruct Build(SupportedApis supported, ErrorCode error = ErrorCode.None)
    {
        var response = ApiVersionsApi.Declaration.Response.NewDefault();
        var element = response.Schema.ElementOf("ApiKeys");
        var keys = new object?[supported.All.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var api = supported.All[i];
            keys[i] = element.NewDefault()
                .With("ApiKey", (short)api.Api.Key)
                .With("MinVersion", api.Range.Lowest)
                .With("MaxVersion", api.Range.Highest);
        }
        return response.With("ErrorCode", (short)error).With("ApiKeys", keys);
    }
}
