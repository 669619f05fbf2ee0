using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>
/// Registry children seen by a real client: skopeo signs in with a token's name and password and gets exactly its
/// scope map's repositories; a webhook on a receiver this test runs on loopback gets skopeo's push and delete.
/// The children are made with plain ARM requests on the default registry, whose login server is localhost.
/// </summary>
public sealed class TokenAndWebhookTests
{
    private const string EventsMediaType = "application/vnd.docker.distribution.events.v1+json";

    [RequiresToolsFact("skopeo", "umoci")]
    public async Task RepositoryToken_PushesOnlyItsRepositories_UntilItsScopeMapDropsWrite()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        using var arm = await ArmRequests.SignInAsync(acre);
        using var http = acre.Https();
        await PushAsync(acre, images, "amd64", "other/x:1", $"{acre.Registry}:{AcreProcess.AdminPassword}");
        await arm.PutAsync("scopeMaps/appwriters", ScopeMap("content/read", "content/write"));
        await arm.PutAsync("tokens/apptoken", new
        {
            properties = new { scopeMapId = $"{ArmRequests.LocalRegistry}/scopeMaps/appwriters", status = "enabled" },
        });
        var generated = await arm.PostAsync("generateCredentials", new
        {
            tokenId = $"{ArmRequests.LocalRegistry}/tokens/apptoken",
            name = "password1",
        });
        string token = $"apptoken:{generated["passwords"]![0]!["value"]!.GetValue<string>()}";

        // Within app/*: push, read back, list tags.
        await PushAsync(acre, images, "amd64", "app/api:1", token);
        string pulled = await Tool.RunAsync("skopeo", "inspect", "--raw", "--cert-dir", acre.CertDir,
            "--creds", token, $"docker://localhost:{acre.HttpsPort}/app/api:1");
        string tags = await Tool.RunAsync("skopeo", "list-tags", "--cert-dir", acre.CertDir, "--creds", token,
            $"docker://localhost:{acre.HttpsPort}/app/api");

        // Outside it: no push, no tags, no catalog (Basic or a token from the token flow).
        var pushOther = await TryPushAsync(acre, images, "arm64", "other/x:2", token);
        var tagsOther = await Tool.TryRunAsync("skopeo", "list-tags", "--cert-dir", acre.CertDir, "--creds", token,
            $"docker://localhost:{acre.HttpsPort}/other/x");
        using var basicCatalog = await GetAsync(http, "/v2/_catalog", Basic(token));
        string catalogToken = await CatalogTokenAsync(http, token);
        using var bearerCatalog = await GetAsync(http, "/v2/_catalog",
            new AuthenticationHeaderValue("Bearer", catalogToken));

        // The scope map drops content/write: the very next push is refused, pulls go on.
        await arm.PutAsync("scopeMaps/appwriters", ScopeMap("content/read"));
        var pushAfter = await TryPushAsync(acre, images, "arm64", "app/api:2", token);
        string pulledAfter = await Tool.RunAsync("skopeo", "inspect", "--raw", "--cert-dir", acre.CertDir,
            "--creds", token, $"docker://localhost:{acre.HttpsPort}/app/api:1");

        Assert.Equal(Encoding.UTF8.GetString(images.ReadBlob(images.Amd64Digest)), pulled);
        Assert.Equal(["1"], JsonNode.Parse(tags)!["Tags"]!.AsArray().Select(t => t!.GetValue<string>()));

        Assert.True(pushOther.ExitCode != 0, $"the push to other/x succeeded:\n{pushOther.Output}");
        Assert.Contains("requested access to the resource is denied", pushOther.Output, StringComparison.Ordinal);
        Assert.True(tagsOther.ExitCode != 0, $"list-tags of other/x succeeded:\n{tagsOther.Output}");
        Assert.DoesNotContain("PUT /v2/other/x/manifests/2", acre.Log, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, basicCatalog.StatusCode);
        Assert.Equal("DENIED", JsonNode.Parse(await basicCatalog.Content.ReadAsStringAsync())!
            ["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, bearerCatalog.StatusCode);

        Assert.True(pushAfter.ExitCode != 0, $"the push without content/write succeeded:\n{pushAfter.Output}");
        Assert.DoesNotContain("PUT /v2/app/api/manifests/2 201", acre.Log, StringComparison.Ordinal);
        Assert.Equal(pulled, pulledAfter);
    }

    [RequiresToolsFact("skopeo", "umoci")]
    public async Task Webhook_GetsSkopeosPushAndDelete_WithAcrsEventJsonAndHeaders()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        await using var receiver = WebhookReceiver.Start();
        var images = await TestImages.BuildAsync(work.Path);
        using var arm = await ArmRequests.SignInAsync(acre);
        string admin = $"{acre.Registry}:{AcreProcess.AdminPassword}";
        await arm.PutAsync("webhooks/hookpush", Webhook(receiver.Root + "/hook", "enabled", "hooked/app:*",
            "push", "delete"));
        await arm.PutAsync("webhooks/hookoff", Webhook(receiver.Root + "/off", "disabled", "", "push", "delete"));
        await arm.PutAsync("webhooks/hookother", Webhook(receiver.Root + "/other", "enabled", "other/app:*",
            "push", "delete"));
        await arm.PutAsync("webhooks/hookfails", Webhook(receiver.Root + "/failing", "enabled", "", "push"));
        var started = DateTimeOffset.UtcNow;

        await PushAsync(acre, images, "amd64", "hooked/app:v1", admin);
        await Tool.RunAsync("skopeo", "delete", "--cert-dir", acre.CertDir, "--creds", admin,
            $"docker://localhost:{acre.HttpsPort}/hooked/app:v1");
        var delivered = await receiver.WaitForAsync("/hook", 2);
        var failures = await receiver.WaitForAsync("/failing", 3);
        var ended = DateTimeOffset.UtcNow;

        // Delivery runs in the background: give a wrongly sent event time to arrive before checking for none.
        await Task.Delay(500);
        var events = (await arm.PostAsync("webhooks/hookpush/listEvents"))["value"]!.AsArray();
        var disabledEvents = (await arm.PostAsync("webhooks/hookoff/listEvents"))["value"]!.AsArray();
        var failedAttempts = (await arm.PostAsync("webhooks/hookfails/listEvents"))["value"]!.AsArray();

        // Each event is delivered on its own, so the two may arrive in either order.
        Assert.Equal(2, delivered.Count);
        var push = Assert.Single(delivered, d => Text(d.Body["action"]) == "push");
        var delete = Assert.Single(delivered, d => Text(d.Body["action"]) == "delete");
        var manifest = images.ReadBlob(images.Amd64Digest);
        AssertEvent(push, "push", acre, started, ended);
        Assert.Equal(["digest", "length", "mediaType", "repository", "size", "tag"], Keys(push.Body["target"]));
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", Text(push.Body["target"]!["mediaType"]));
        Assert.Equal(manifest.Length, push.Body["target"]!["size"]!.GetValue<long>());
        Assert.Equal(manifest.Length, push.Body["target"]!["length"]!.GetValue<long>());
        Assert.Equal(images.Amd64Digest, Text(push.Body["target"]!["digest"]));
        Assert.Equal("hooked/app", Text(push.Body["target"]!["repository"]));
        Assert.Equal("v1", Text(push.Body["target"]!["tag"]));
        Assert.Equal("PUT", Text(push.Body["request"]!["method"]));

        // skopeo deletes a tag by its manifest's digest, so the delete event names no tag.
        AssertEvent(delete, "delete", acre, started, ended);
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", Text(delete.Body["target"]!["mediaType"]));
        Assert.Equal(images.Amd64Digest, Text(delete.Body["target"]!["digest"]));
        Assert.Equal("hooked/app", Text(delete.Body["target"]!["repository"]));
        Assert.Null(delete.Body["target"]!["tag"]);
        Assert.Equal("DELETE", Text(delete.Body["request"]!["method"]));
        Assert.NotEqual(Text(push.Body["id"]), Text(delete.Body["id"]));

        // Neither the disabled webhook nor the one scoped to another repository got anything.
        Assert.Empty(receiver.At("/off"));
        Assert.Empty(receiver.At("/other"));
        Assert.Empty(disabledEvents);

        // listEvents keeps each delivery with the request sent and the receiver's answer.
        Assert.Equal(2, events.Count);
        Assert.Equal(new[] { Text(push.Body["id"]), Text(delete.Body["id"]) }.Order(),
            events.Select(e => Text(e!["id"])).Order());
        Assert.All(events, e => Assert.Equal("200", Text(e!["eventResponseMessage"]!["statusCode"])));
        Assert.All(events, e => Assert.Equal(receiver.Root + "/hook", Text(e!["eventRequestMessage"]!["requestUri"])));
        Assert.All(events, e => Assert.Equal("blue", Text(e!["eventRequestMessage"]!["headers"]!["X-Team"])));

        // A receiver that answers 500 gets the same event again, and every attempt is kept.
        Assert.Equal(3, failures.Count);
        Assert.Single(failures.Select(f => Text(f.Body["id"])).Distinct());
        Assert.Equal(3, failedAttempts.Count);
        Assert.All(failedAttempts, e => Assert.Equal("500", Text(e!["eventResponseMessage"]!["statusCode"])));
    }

    /// <summary>ACR's event JSON at the top level, its request part, and the webhook's custom headers.</summary>
    private static void AssertEvent(Delivery delivery, string action, AcreProcess acre, DateTimeOffset started,
        DateTimeOffset ended)
    {
        var body = delivery.Body;
        Assert.Equal("POST", delivery.Method);
        Assert.Equal(["action", "actor", "id", "request", "target", "timestamp"], Keys(body));
        Assert.Equal(action, Text(body["action"]));
        Assert.True(Guid.TryParse(Text(body["id"]), out _), body.ToJsonString());
        Assert.InRange(DateTimeOffset.Parse(Text(body["timestamp"]), CultureInfo.InvariantCulture),
            started.AddSeconds(-1), ended);

        Assert.Equal(["host", "id", "method", "useragent"], Keys(body["request"]));
        Assert.Equal($"localhost:{acre.HttpsPort}", Text(body["request"]!["host"]));
        Assert.StartsWith("skopeo/", Text(body["request"]!["useragent"]), StringComparison.Ordinal);
        Assert.Equal("local", Text(body["actor"]!["name"]));

        Assert.Equal("blue", delivery.Headers["X-Team"]);
        Assert.Equal("Bearer hook-secret", delivery.Headers["Authorization"]);
        Assert.StartsWith(EventsMediaType, delivery.Headers["Content-Type"], StringComparison.Ordinal);
    }

    private static object ScopeMap(params string[] actions) => new
    {
        properties = new { actions = actions.Select(a => $"repositories/app/*/{a}").ToArray() },
    };

    private static object Webhook(string serviceUri, string status, string scope, params string[] actions) => new
    {
        location = "westus",
        properties = new
        {
            serviceUri,
            customHeaders = new Dictionary<string, string>
            {
                ["X-Team"] = "blue",
                ["Authorization"] = "Bearer hook-secret",
            },
            status,
            scope,
            actions,
        },
    };

    private static Task PushAsync(AcreProcess acre, TestImages images, string image, string target,
        string credentials) =>
        Tool.RunAsync("skopeo", PushArguments(acre, images, image, target, credentials));

    private static Task<ToolResult> TryPushAsync(AcreProcess acre, TestImages images, string image, string target,
        string credentials) =>
        Tool.TryRunAsync("skopeo", PushArguments(acre, images, image, target, credentials));

    private static string[] PushArguments(AcreProcess acre, TestImages images, string image, string target,
        string credentials) =>
        ["copy", "--dest-cert-dir", acre.CertDir, "--dest-creds", credentials, $"oci:{images.Layout}:{image}",
            $"docker://localhost:{acre.HttpsPort}/{target}"];

    private static AuthenticationHeaderValue Basic(string credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path,
        AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    /// <summary>The Docker token flow for the catalog, signed in with the token's name and password.</summary>
    private static async Task<string> CatalogTokenAsync(HttpClient http, string credentials)
    {
        using var response = await GetAsync(http,
            "/oauth2/token?service=localhost&scope=" + Uri.EscapeDataString("registry:catalog:*"), Basic(credentials));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"the token flow refused the token: {text}");
        return JsonNode.Parse(text)!["access_token"]!.GetValue<string>();
    }

    private static string[] Keys(JsonNode? node) =>
        [.. node!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    private static string Text(JsonNode? node) => node!.GetValue<string>();
}
