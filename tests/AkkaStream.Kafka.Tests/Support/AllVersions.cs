using AkkaStream.Kafka.Apis;

namespace AkkaStream.Kafka.Tests.Support;

/// <summary>Every (api, version) pair in the supported table, as test data.</summary>
internal static class AllVersions
{
    public static TheoryData<string, short> OfEverySupportedApi()
    {
        var data = new TheoryData<string, short>();
        foreach (var api in SupportedApis.Default.All)
        {
            for (var v = api.Range.Lowest; v <= api.Range.Highest; v++) data.Add(api.Api.Key.ToString(), v);
        }
        return data;
    }

    public static SupportedApi Find(string key) =>
        SupportedApis.Default.All.Single(a => a.Api.Key.ToString() == key);
}
