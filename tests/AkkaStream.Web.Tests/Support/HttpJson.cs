using System.Net;
using System.Text.Json;

namespace AkkaStream.Web.Tests.Support;

public static class HttpJson
{
    /// <summary>GETs <paramref name="path"/>, asserts 200 (showing the body when not), and parses the JSON.</summary>
    public static async Task<JsonElement> GetJson(this HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
