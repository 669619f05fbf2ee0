using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Acre.Tests.Support;

namespace Acre.Tests.Management;

public sealed class RegistryChildrenTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    private const string Group = "acre";
    private const string Registry = "local";

    [Fact]
    public async Task RepositoryToken_GrantsExactlyItsScopeMap_AndChangesTakeEffectAtOnce()
    {
        using var arm = await Arm.ClientAsync(acre);
        await PutAsync(arm, "scopeMaps/appwriters", new
        {
            properties = new
            {
                actions = new[] { "repositories/app/*/content/read", "repositories/app/*/content/write" },
            },
        });
        await PutAsync(arm, "tokens/apptoken", new { properties = new { scopeMapId = Id("scopeMaps/appwriters") } });
        string password = await GenerateAsync(arm, "apptoken");
        using var token = acre.Http(auth: AcreServerFixture.Basic("apptoken", password));

        await new OciPusher(token).PushImageAsync("app/api", "1");
        string bearer = await BearerAsync(token, "repository:app/api:pull,push");
        using var other = await token.PostAsync("/v2/other/x/blobs/uploads/", null);
        using var catalog = await token.GetAsync("/v2/_catalog");
        await PutAsync(arm, "scopeMaps/appwriters", new
        {
            properties = new { actions = new[] { "repositories/app/*/content/read" } },
        });
        using var pushAfter = await token.PostAsync("/v2/app/api/blobs/uploads/", null);
        using var bearerClient = acre.Http(auth: new AuthenticationHeaderValue("Bearer", bearer));
        using var bearerPush = await bearerClient.PostAsync("/v2/app/api/blobs/uploads/", null);
        using var bearerPull = await bearerClient.GetAsync("/v2/app/api/manifests/1");

        await Errors.AssertAsync(other, HttpStatusCode.Forbidden, "DENIED");
        await Errors.AssertAsync(catalog, HttpStatusCode.Forbidden, "DENIED");
        await Errors.AssertAsync(pushAfter, HttpStatusCode.Forbidden, "DENIED");
        Assert.Equal(HttpStatusCode.Unauthorized, bearerPush.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearerPull.StatusCode);
    }

    [Fact]
    public async Task DisabledToken_AndExpiredPassword_AreRefused()
    {
        using var arm = await Arm.ClientAsync(acre);
        await PutAsync(arm, "tokens/pulltoken", new
        {
            properties = new { scopeMapId = Id("scopeMaps/_repositories_pull") },
        });
        string password = await GenerateAsync(arm, "pulltoken");
        string expired = await GenerateAsync(arm, "pulltoken", "password2", DateTimeOffset.UtcNow.AddMinutes(-1));
        using var valid = acre.Http(auth: AcreServerFixture.Basic("pulltoken", password));
        using var old = acre.Http(auth: AcreServerFixture.Basic("pulltoken", expired));

        var before = (await valid.GetAsync("/v2/")).StatusCode;
        var expiredStatus = (await old.GetAsync("/v2/")).StatusCode;
        await arm.PatchAsJsonAsync($"{Path("tokens/pulltoken")}?{Arm.RegistryApi}",
            new { properties = new { status = "disabled" } });
        var after = (await valid.GetAsync("/v2/")).StatusCode;

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.Unauthorized, expiredStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, after);
    }

    [Fact]
    public async Task SystemScopeMaps_AreListed_AndCannotBeDeleted()
    {
        using var arm = await Arm.ClientAsync(acre);

        var list = await arm.GetFromJsonAsync<JsonElement>($"{Path("scopeMaps")}?{Arm.RegistryApi}");
        using var delete = await arm.DeleteAsync($"{Path("scopeMaps/_repositories_admin")}?{Arm.RegistryApi}");

        var names = list.GetProperty("value").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("_repositories_pull", names);
        Assert.Contains("_repositories_push_metadata_write", names);
        await Arm.AssertErrorAsync(delete, 400, "OperationNotAllowed");
    }

    [Fact]
    public async Task Webhook_GetsPushAndDeleteEvents_WithHeaders_AndKeepsEveryAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var arm = await Arm.ClientAsync(acre);
        await PutAsync(arm, "webhooks/hookpush", new
        {
            location = "westus",
            properties = new
            {
                serviceUri = receiver.Uri,
                customHeaders = new Dictionary<string, string> { ["X-Team"] = "blue" },
                actions = new[] { "push", "delete" },
                scope = "hooked/app:*",
            },
        });
        await PutAsync(arm, "webhooks/hookoff", new
        {
            location = "westus",
            properties = new { serviceUri = receiver.Uri, actions = new[] { "push" }, status = "disabled" },
        });
        using var admin = acre.Admin();

        var (digest, _) = await new OciPusher(admin).PushImageAsync("hooked/app", "v1");
        await new OciPusher(admin).PushImageAsync("unhooked/app", "v1");
        await admin.DeleteAsync($"/v2/hooked/app/manifests/{digest}");
        var received = await receiver.WaitForAsync(2);
        await Task.Delay(300);
        var events = await arm.PostAsync($"{Path("webhooks/hookpush")}/listEvents?{Arm.RegistryApi}", null);
        var recorded = await events.Content.ReadFromJsonAsync<JsonElement>();
        var shown = await arm.GetFromJsonAsync<JsonElement>($"{Path("webhooks/hookpush")}?{Arm.RegistryApi}");
        var callback = await (await arm.PostAsync(
                $"{Path("webhooks/hookpush")}/getCallbackConfig?{Arm.RegistryApi}", null))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(2, receiver.Received.Count);
        var pushed = received.Single(r => r.Body.GetProperty("action").GetString() == "push");
        var push = pushed.Body;
        Assert.Equal("push", push.GetProperty("action").GetString());
        Assert.Equal("hooked/app", push.GetProperty("target").GetProperty("repository").GetString());
        Assert.Equal("v1", push.GetProperty("target").GetProperty("tag").GetString());
        Assert.Equal(digest.ToString(), push.GetProperty("target").GetProperty("digest").GetString());
        Assert.Equal("PUT", push.GetProperty("request").GetProperty("method").GetString());
        Assert.Equal("blue", pushed.Headers["X-Team"].ToString());
        Assert.Single(received, r => r.Body.GetProperty("action").GetString() == "delete");
        Assert.Equal(2, recorded.GetProperty("value").GetArrayLength());
        Assert.False(shown.GetProperty("properties").TryGetProperty("serviceUri", out _));
        Assert.Equal(receiver.Uri, callback.GetProperty("serviceUri").GetString());
    }

    [Fact]
    public async Task FailedDelivery_IsRetried_AndEveryAttemptIsKept()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 500;
        using var arm = await Arm.ClientAsync(acre);
        await PutAsync(arm, "webhooks/hookfail", new
        {
            location = "westus",
            properties = new { serviceUri = receiver.Uri, actions = new[] { "push" }, scope = "retried/app:*" },
        });
        using var admin = acre.Admin();

        await new OciPusher(admin).PushImageAsync("retried/app", "1");
        await receiver.WaitForAsync(3);
        await Task.Delay(300);
        var events = await (await arm.PostAsync($"{Path("webhooks/hookfail")}/listEvents?{Arm.RegistryApi}", null))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal(3, events.GetProperty("value").GetArrayLength());
        Assert.All(events.GetProperty("value").EnumerateArray(), e =>
            Assert.Equal("500", e.GetProperty("eventResponseMessage").GetProperty("statusCode").GetString()));
    }

    [Fact]
    public async Task Ping_DeliversAndAnswersTheEventId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var arm = await Arm.ClientAsync(acre);
        await PutAsync(arm, "webhooks/hookping", new
        {
            location = "westus",
            properties = new { serviceUri = receiver.Uri, actions = new[] { "push" } },
        });

        using var ping = await arm.PostAsync($"{Path("webhooks/hookping")}/ping?{Arm.RegistryApi}", null);
        var id = (await ping.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var received = await receiver.WaitForAsync(1);

        Assert.Equal("ping", received[0].Body.GetProperty("action").GetString());
        Assert.Equal(id, received[0].Body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task SkuLimits_AndPremiumOnlyChildren_FollowTheSku()
    {
        using var arm = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(arm, "limits");
        await Arm.CreateRegistryAsync(arm, "limits", "basicreg1");
        string basic = Arm.RegistryPath("limits", "basicreg1");
        for (int i = 1; i <= 2; i++)
        {
            using var ok = await arm.PutAsJsonAsync($"{basic}/webhooks/hook{i}aaaa?{Arm.RegistryApi}", Hook());
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var third = await arm.PutAsJsonAsync($"{basic}/webhooks/hook3aaaa?{Arm.RegistryApi}", Hook());
        using var replication = await arm.PutAsJsonAsync($"{basic}/replications/eastus?{Arm.RegistryApi}",
            new { location = "eastus" });
        await Arm.CreateRegistryAsync(arm, "limits", "premreg1", sku: "Premium");
        string premium = Arm.RegistryPath("limits", "premreg1");
        using var replicated = await arm.PutAsJsonAsync($"{premium}/replications/eastus?{Arm.RegistryApi}",
            new { location = "eastus" });
        using var downgrade = await arm.PatchAsJsonAsync($"{premium}?{Arm.RegistryApi}",
            new { sku = new { name = "Basic" } });

        await Arm.AssertErrorAsync(third, 409, "QuotaExceeded");
        await Arm.AssertErrorAsync(replication, 400, "SkuNotSupported");
        Assert.Equal(HttpStatusCode.Created, replicated.StatusCode);
        await Arm.AssertErrorAsync(downgrade, 400, "SkuNotSupported");
    }

    [Fact]
    public async Task PrivateEndpointConnection_IsShownOnTheRegistry()
    {
        using var arm = await Arm.ClientAsync(acre);

        await PutAsync(arm, "privateEndpointConnections/pe1", new
        {
            properties = new
            {
                privateEndpoint = new
                {
                    id = "/subscriptions/x/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1",
                },
                privateLinkServiceConnectionState = new { status = "Approved", description = "ok" },
            },
        });
        var registry = await arm.GetFromJsonAsync<JsonElement>(
            $"{Arm.RegistryPath(Group, Registry)}?{Arm.RegistryApi}");

        var connection = registry.GetProperty("properties").GetProperty("privateEndpointConnections")[0];
        Assert.Equal("pe1", connection.GetProperty("name").GetString());
        Assert.Equal("Approved", connection.GetProperty("properties").GetProperty("privateLinkServiceConnectionState")
            .GetProperty("status").GetString());
    }

    private static object Hook() => new
    {
        location = "westus",
        properties = new { serviceUri = "http://127.0.0.1:9/hook", actions = new[] { "push" } },
    };

    private static string Path(string child) => $"{Arm.RegistryPath(Group, Registry)}/{child}";

    private static string Id(string child) => Path(child);

    private static async Task PutAsync(HttpClient arm, string child, object body)
    {
        using var response = await arm.PutAsJsonAsync($"{Path(child)}?{Arm.RegistryApi}", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> GenerateAsync(HttpClient arm, string token, string name = "password1",
        DateTimeOffset? expiry = null)
    {
        using var response = await arm.PostAsJsonAsync(
            $"{Arm.RegistryPath(Group, Registry)}/generateCredentials?{Arm.RegistryApi}",
            new { tokenId = Id($"tokens/{token}"), name, expiry });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("passwords")[0].GetProperty("value").GetString()!;
    }

    private static async Task<string> BearerAsync(HttpClient basicClient, string scope)
    {
        var body = await basicClient.GetFromJsonAsync<JsonElement>(
            $"/oauth2/token?scope={Uri.EscapeDataString(scope)}");
        return body.GetProperty("access_token").GetString()!;
    }
}
