using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// Plain ARM requests to a registry's children, as the REST reference writes them, with a Bearer token that
/// Azure.Identity's ClientSecretCredential got from Acre's Entra ID.
/// </summary>
public sealed class ArmRequests : IDisposable
{
    public const string ApiVersion = "api-version=2025-11-01";

    private readonly HttpClient _http;

    private ArmRequests(HttpClient http) => _http = http;

    /// <summary>The resource id of the default registry, <c>local</c> in group <c>acre</c>.</summary>
    public static string LocalRegistry =>
        $"/subscriptions/{AcreProcess.SubscriptionId}/resourceGroups/acre/providers/Microsoft.ContainerRegistry" +
        "/registries/local";

    public static async Task<ArmRequests> SignInAsync(AcreProcess acre)
    {
        using var sdk = new AzureSdk(acre);
        var token = await sdk.Credential().GetTokenAsync(
            new TokenRequestContext([sdk.Audience + "/.default"]), CancellationToken.None);
        var http = acre.Https();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return new ArmRequests(http);
    }

    /// <summary>PUT of a child of the default registry, <c>scopeMaps/NAME</c> say; fails unless 2xx.</summary>
    public Task<JsonNode> PutAsync(string child, object body) =>
        SendAsync(HttpMethod.Put, $"{LocalRegistry}/{child}", body);

    /// <summary>POST of an action, such as <c>generateCredentials</c> or <c>webhooks/NAME/listEvents</c>.</summary>
    public Task<JsonNode> PostAsync(string action, object? body = null) =>
        SendAsync(HttpMethod.Post, $"{LocalRegistry}/{action}", body);

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, $"{path}?{ApiVersion}")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        using var response = await _http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }
}
