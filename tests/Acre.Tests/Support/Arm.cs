using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Acre.Identity.Entra;

namespace Acre.Tests.Support;

/// <summary>Signs in to Acre's Entra ID and calls ARM on the management host, as the SDKs do.</summary>
public static class Arm
{
    public const string Subscription = IdentityOptions.DefaultSubscriptionId;
    public const string RegistryApi = "api-version=2025-11-01";

    public static string Root(AcreServerFixture acre) => $"https://localhost:{acre.Server.HttpsPort}/";

    /// <summary>An Entra access token for the client credentials, through /adfs as the CLI asks.</summary>
    public static async Task<string> TokenAsync(AcreServerFixture acre, string? scope = null, string? secret = null)
    {
        using var client = acre.Https("localhost");
        using var response = await client.PostAsync("/adfs/oauth2/token", new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = IdentityOptions.DefaultClientId,
                ["client_secret"] = secret ?? IdentityOptions.DefaultClientSecret,
                ["scope"] = scope ?? Root(acre) + "/.default",
            }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString()!;
    }

    public static async Task<HttpClient> ClientAsync(AcreServerFixture acre)
    {
        var client = acre.Https("localhost");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(acre));
        return client;
    }

    public static string RegistryPath(string group, string name) =>
        $"/subscriptions/{Subscription}/resourceGroups/{group}/providers/Microsoft.ContainerRegistry/registries/{name}";

    public static async Task<HttpResponseMessage> CreateGroupAsync(HttpClient client, string group) =>
        await client.PutAsJsonAsync($"/subscriptions/{Subscription}/resourcegroups/{group}?api-version=2021-04-01",
            new { location = "westus" });

    public static async Task<JsonElement> CreateRegistryAsync(HttpClient client, string group, string name,
        string sku = "Basic", bool admin = false)
    {
        using var response = await client.PutAsJsonAsync($"{RegistryPath(group, name)}?{RegistryApi}",
            new { location = "westus", sku = new { name = sku }, properties = new { adminUserEnabled = admin } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task AssertErrorAsync(HttpResponseMessage response, int status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Equal(code, document.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
