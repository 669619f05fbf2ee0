using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// <c>az acr scope-map</c>, <c>token</c>, <c>webhook</c>, <c>replication</c> and <c>connected-registry</c> (all in
/// the 2.45 CLI) against Acre's ARM, checked on what az prints and, for tokens and webhooks, on what the registry
/// then does: a token's password signs in to the data plane, a ping reaches a receiver on loopback.
/// </summary>
public sealed class AzureCliChildrenTests
{
    [RequiresToolsFact("az")]
    public async Task ScopeMapAndToken_CreateUpdateShowListDelete_AndTheTokenSignsIn()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await RegistryAsync(acre, work, "azscoped", "Standard");

        var created = await AcrAsync(cli, "scope-map", "create", "-r", "azscoped", "-n", "appwriters",
            "--repository", "app/*", "content/read", "content/write", "--description", "app writers");
        var updated = await AcrAsync(cli, "scope-map", "update", "-r", "azscoped", "-n", "appwriters",
            "--add-repository", "app/*", "metadata/read", "--remove-repository", "app/*", "content/write",
            "--description", "app readers");
        var shown = await AcrAsync(cli, "scope-map", "show", "-r", "azscoped", "-n", "appwriters");
        var scopeMaps = await AcrAsync(cli, "scope-map", "list", "-r", "azscoped");
        var deleteSystem = await cli.TryRunAsync("acr", "scope-map", "delete", "-r", "azscoped",
            "-n", "_repositories_admin", "--yes", "--only-show-errors");

        // token create makes both passwords at once and prints them; --repository makes a scope map of its own.
        var token = await AcrAsync(cli, "token", "create", "-r", "azscoped", "-n", "apptoken",
            "--scope-map", "appwriters");
        var repositoryToken = await AcrAsync(cli, "token", "create", "-r", "azscoped", "-n", "repotoken",
            "--repository", "other/x", "content/read", "--no-passwords");
        string password1 = PasswordValue(token, "password1");
        var signedIn = await GetAsync(acre, "azscoped", "/v2/", "apptoken", password1);

        var disabled = await AcrAsync(cli, "token", "update", "-r", "azscoped", "-n", "apptoken",
            "--status", "disabled", "--scope-map", "_repositories_pull");
        var whileDisabled = await GetAsync(acre, "azscoped", "/v2/", "apptoken", password1);
        var generated = await AcrAsync(cli, "token", "credential", "generate", "-r", "azscoped", "-n", "apptoken",
            "--password2", "--expiration-in-days", "30");
        await AcrAsync(cli, "token", "update", "-r", "azscoped", "-n", "apptoken", "--status", "enabled");
        var withPassword2 = await GetAsync(acre, "azscoped", "/v2/", "apptoken",
            PasswordValue(generated, "password2"));
        var tokenShown = await AcrAsync(cli, "token", "show", "-r", "azscoped", "-n", "apptoken");
        var tokens = await AcrAsync(cli, "token", "list", "-r", "azscoped");

        string tokenDeleted = await cli.RunAsync("acr", "token", "delete", "-r", "azscoped", "-n", "apptoken",
            "--yes", "--only-show-errors");
        string scopeMapDeleted = await cli.RunAsync("acr", "scope-map", "delete", "-r", "azscoped",
            "-n", "appwriters", "--yes", "--only-show-errors");
        var afterDelete = await GetAsync(acre, "azscoped", "/v2/", "apptoken", password1);
        var tokensLeft = await AcrAsync(cli, "token", "list", "-r", "azscoped", "--query", "[].name");
        var scopeMapsLeft = await AcrAsync(cli, "scope-map", "list", "-r", "azscoped", "--query", "[].name");

        Assert.Equal("UserDefined", Text(created["typePropertiesType"]));
        Assert.Equal("app writers", Text(created["description"]));
        Assert.Equal(["repositories/app/*/content/read", "repositories/app/*/content/write"],
            Texts(created["actions"]));
        Assert.Equal("Succeeded", Text(created["provisioningState"]));
        Assert.Equal("rg1", Text(created["resourceGroup"]));
        Assert.Equal("app readers", Text(updated["description"]));
        Assert.Equal(["repositories/app/*/content/read", "repositories/app/*/metadata/read"],
            Texts(updated["actions"]).Order());
        Assert.Equal(updated.ToJsonString(), shown.ToJsonString());
        Assert.Equal(SystemScopeMaps.Append("appwriters"), scopeMaps.AsArray().Select(s => Text(s!["name"])));
        Assert.All(scopeMaps.AsArray().Take(5), s => Assert.Equal("SystemDefined", Text(s!["typePropertiesType"])));
        Assert.NotEqual(0, deleteSystem.ExitCode);
        Assert.Contains("(OperationNotAllowed)", deleteSystem.Output, StringComparison.Ordinal);

        Assert.Equal("enabled", Text(token["status"]));
        Assert.EndsWith("/registries/azscoped/scopeMaps/appwriters", Text(token["scopeMapId"]),
            StringComparison.Ordinal);
        Assert.Equal("apptoken", Text(token["credentials"]!["username"]));
        Assert.Equal(["password1", "password2"], Texts(token["credentials"]!["passwords"], "name"));
        Assert.EndsWith("/scopeMaps/repotoken-scope-map", Text(repositoryToken["scopeMapId"]),
            StringComparison.Ordinal);
        Assert.Empty(repositoryToken["credentials"]!["passwords"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, signedIn);

        Assert.Equal("disabled", Text(disabled["status"]));
        Assert.EndsWith("/scopeMaps/_repositories_pull", Text(disabled["scopeMapId"]), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, whileDisabled);
        Assert.Equal("apptoken", Text(generated["username"]));
        var expiry = Time(Assert.Single(generated["passwords"]!.AsArray())!["expiry"]);
        Assert.InRange(expiry, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));
        Assert.Equal(HttpStatusCode.OK, withPassword2);

        // The token shows when each password expires, never its value.
        var passwords = tokenShown["credentials"]!["passwords"]!.AsArray();
        Assert.Equal(["password1", "password2"], Texts(passwords, "name"));
        Assert.All(passwords, p => Assert.Null(p!["value"]));
        Assert.Equal(expiry, Time(passwords[1]!["expiry"]));
        Assert.Equal(["apptoken", "repotoken"], tokens.AsArray().Select(t => Text(t!["name"])));

        Assert.Equal("", tokenDeleted.Trim());
        Assert.Equal("", scopeMapDeleted.Trim());
        Assert.Equal(HttpStatusCode.Unauthorized, afterDelete);
        Assert.Equal(["repotoken"], Texts(tokensLeft));
        Assert.Equal(SystemScopeMaps.Append("repotoken-scope-map"), Texts(scopeMapsLeft));
    }

    [RequiresToolsFact("az")]
    public async Task TokenCredentialDelete_RemovesThePassword()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await RegistryAsync(acre, work, "azcreds", "Basic");
        var token = await AcrAsync(cli, "token", "create", "-r", "azcreds", "-n", "credtoken",
            "--scope-map", "_repositories_pull");

        // az sends PATCH {"properties":{"credentials":{"passwords":[{"name":"password2"}]}}}: the passwords to keep.
        var afterDelete = await AcrAsync(cli, "token", "credential", "delete", "-r", "azcreds", "-n", "credtoken",
            "--password1");
        var withPassword1 = await GetAsync(acre, "azcreds", "/v2/", "credtoken", PasswordValue(token, "password1"));
        var withPassword2 = await GetAsync(acre, "azcreds", "/v2/", "credtoken", PasswordValue(token, "password2"));

        Assert.Equal(["password2"], Texts(afterDelete["credentials"]!["passwords"], "name"));
        Assert.Equal(HttpStatusCode.Unauthorized, withPassword1);
        Assert.Equal(HttpStatusCode.OK, withPassword2);
    }

    [RequiresToolsFact("az")]
    public async Task Webhook_CreateUpdateShowListPingEventsConfigDelete()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        await using var receiver = WebhookReceiver.Start();
        var cli = await RegistryAsync(acre, work, "azhooks", "Basic");
        string uri = receiver.Root + "/hook";

        var created = await AcrAsync(cli, "webhook", "create", "-r", "azhooks", "-n", "hookone", "--uri", uri,
            "--actions", "push", "delete", "--headers", "X-Team=blue", "Authorization=Bearer az-secret",
            "--scope", "app/*:*", "--tags", "team=blue");
        var updated = await AcrAsync(cli, "webhook", "update", "-r", "azhooks", "-n", "hookone",
            "--actions", "push", "--scope", "app/api", "--status", "disabled");
        var shown = await AcrAsync(cli, "webhook", "show", "-r", "azhooks", "-n", "hookone");
        var config = await AcrAsync(cli, "webhook", "get-config", "-r", "azhooks", "-n", "hookone");
        await AcrAsync(cli, "webhook", "update", "-r", "azhooks", "-n", "hookone", "--status", "enabled");
        var ping = await AcrAsync(cli, "webhook", "ping", "-r", "azhooks", "-n", "hookone");
        var pinged = await receiver.WaitForAsync("/hook", 1);
        var events = await AcrAsync(cli, "webhook", "list-events", "-r", "azhooks", "-n", "hookone");

        // Basic allows two webhooks.
        await AcrAsync(cli, "webhook", "create", "-r", "azhooks", "-n", "hooktwo", "--uri", uri, "--actions", "push");
        var third = await cli.TryRunAsync("acr", "webhook", "create", "-r", "azhooks", "-n", "hookthree",
            "--uri", uri, "--actions", "push", "--only-show-errors");
        var listed = await AcrAsync(cli, "webhook", "list", "-r", "azhooks", "--query", "[].name");
        string deleted = await cli.RunAsync("acr", "webhook", "delete", "-r", "azhooks", "-n", "hookone",
            "--only-show-errors");
        var left = await AcrAsync(cli, "webhook", "list", "-r", "azhooks", "--query", "[].name");

        Assert.Equal(["push", "delete"], Texts(created["actions"]));
        Assert.Equal("app/*:*", Text(created["scope"]));
        Assert.Equal("enabled", Text(created["status"]));
        Assert.Equal("westus", Text(created["location"]));
        Assert.Equal("blue", Text(created["tags"]!["team"]));
        Assert.Equal(["push"], Texts(updated["actions"]));
        Assert.Equal("app/api", Text(updated["scope"]));
        Assert.Equal("disabled", Text(updated["status"]));

        // The URI and headers are secrets: show leaves them out, get-config has them.
        Assert.Equal(updated.ToJsonString(), shown.ToJsonString());
        Assert.Null(shown["serviceUri"]);
        Assert.Null(shown["customHeaders"]);
        Assert.Equal(uri, Text(config["serviceUri"]));
        Assert.Equal("blue", Text(config["customHeaders"]!["X-Team"]));
        Assert.Equal("Bearer az-secret", Text(config["customHeaders"]!["Authorization"]));

        var delivery = Assert.Single(pinged);
        Assert.Equal(Text(ping["id"]), Text(delivery.Body["id"]));
        Assert.Equal("ping", Text(delivery.Body["action"]));
        Assert.Equal("blue", delivery.Headers["X-Team"]);
        var recorded = Assert.Single(events.AsArray())!;
        Assert.Equal(Text(ping["id"]), Text(recorded["id"]));
        Assert.Equal("ping", Text(recorded["eventRequestMessage"]!["content"]!["action"]));
        Assert.Equal(uri, Text(recorded["eventRequestMessage"]!["requestUri"]));
        Assert.Equal("200", Text(recorded["eventResponseMessage"]!["statusCode"]));

        Assert.NotEqual(0, third.ExitCode);
        Assert.Contains("(QuotaExceeded)", third.Output, StringComparison.Ordinal);
        Assert.Equal(["hookone", "hooktwo"], Texts(listed));
        Assert.Equal("", deleted.Trim());
        Assert.Equal(["hooktwo"], Texts(left));
    }

    [RequiresToolsFact("az")]
    public async Task Replication_CreateListShowUpdateDelete_OnAPremiumRegistry()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await RegistryAsync(acre, work, "azreplicas", "Premium");

        var created = await AcrAsync(cli, "replication", "create", "-r", "azreplicas", "-l", "eastus");
        var named = await AcrAsync(cli, "replication", "create", "-r", "azreplicas", "-l", "West Europe",
            "-n", "europe", "--region-endpoint-enabled", "false", "--tags", "team=blue");
        var listed = await AcrAsync(cli, "replication", "list", "-r", "azreplicas");
        var updated = await AcrAsync(cli, "replication", "update", "-r", "azreplicas", "-n", "eastus",
            "--region-endpoint-enabled", "false", "--tags", "stage=two");
        var shown = await AcrAsync(cli, "replication", "show", "-r", "azreplicas", "-n", "eastus");
        var downgrade = await cli.TryRunAsync("acr", "update", "-n", "azreplicas", "--sku", "Standard",
            "--only-show-errors");
        string deleted = await cli.RunAsync("acr", "replication", "delete", "-r", "azreplicas", "-n", "eastus",
            "--only-show-errors");
        var left = await AcrAsync(cli, "replication", "list", "-r", "azreplicas", "--query", "[].name");

        Assert.Equal("eastus", Text(created["name"]));
        Assert.Equal("eastus", Text(created["location"]));
        Assert.True(created["regionEndpointEnabled"]!.GetValue<bool>());
        Assert.Equal("Ready", Text(created["status"]!["displayStatus"]));
        Assert.Equal("Succeeded", Text(created["provisioningState"]));
        Assert.Equal("europe", Text(named["name"]));
        Assert.Equal("westeurope", Text(named["location"]));
        Assert.False(named["regionEndpointEnabled"]!.GetValue<bool>());
        Assert.Equal("blue", Text(named["tags"]!["team"]));
        Assert.Equal(["eastus", "europe"], listed.AsArray().Select(r => Text(r!["name"])));
        Assert.False(updated["regionEndpointEnabled"]!.GetValue<bool>());
        Assert.Equal("two", Text(updated["tags"]!["stage"]));
        Assert.Equal(updated.ToJsonString(), shown.ToJsonString());
        Assert.NotEqual(0, downgrade.ExitCode);
        Assert.Contains("(SkuNotSupported)", downgrade.Output, StringComparison.Ordinal);
        Assert.Equal("", deleted.Trim());
        Assert.Equal(["europe"], Texts(left));
    }

    [RequiresToolsFact("az")]
    public async Task ConnectedRegistry_CreateUpdateShowListDeactivateDelete()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await RegistryAsync(acre, work, "azedge", "Premium");

        // Connected registries need the registry's data endpoint; az checks before it sends anything.
        var withoutEndpoint = await cli.TryRunAsync("acr", "connected-registry", "create", "-r", "azedge",
            "-n", "edgeone", "--repository", "app/api", "--only-show-errors");
        await AcrAsync(cli, "update", "-n", "azedge", "--data-endpoint-enabled", "true");

        // --repository makes az create the sync scope map and token, named after the connected registry.
        var created = await AcrAsync(cli, "connected-registry", "create", "-r", "azedge", "-n", "edgeone",
            "--repository", "app/api", "shop/web");
        var syncActions = await AcrAsync(cli, "scope-map", "show", "-r", "azedge", "-n", "edgeone",
            "--query", "actions");
        var child = await AcrAsync(cli, "connected-registry", "create", "-r", "azedge", "-n", "edgetwo",
            "--parent", "edgeone", "--mode", "ReadOnly", "--repository", "app/api");
        await AcrAsync(cli, "token", "create", "-r", "azedge", "-n", "clienttok", "--scope-map",
            "_repositories_pull", "--no-passwords");
        var updated = await AcrAsync(cli, "connected-registry", "update", "-r", "azedge", "-n", "edgeone",
            "--add-client-tokens", "clienttok", "--log-level", "Debug", "--add-notifications", "app/api:*");
        var listed = await AcrAsync(cli, "connected-registry", "list", "-r", "azedge");
        var children = await AcrAsync(cli, "connected-registry", "list", "-r", "azedge", "--parent", "edgeone",
            "--query", "[].name");
        var clientTokens = await AcrAsync(cli, "connected-registry", "list-client-tokens", "-r", "azedge",
            "-n", "edgeone", "--query", "[].name");
        var settings = await AcrAsync(cli, "connected-registry", "get-settings", "-r", "azedge", "-n", "edgeone",
            "--parent-protocol", "https");
        string deactivated = await cli.RunAsync("acr", "connected-registry", "deactivate", "-r", "azedge",
            "-n", "edgeone", "--yes", "--only-show-errors");
        var shown = await AcrAsync(cli, "connected-registry", "show", "-r", "azedge", "-n", "edgeone");
        await cli.RunAsync("acr", "connected-registry", "delete", "-r", "azedge", "-n", "edgetwo", "--cleanup",
            "--yes", "--only-show-errors");
        var left = await AcrAsync(cli, "connected-registry", "list", "-r", "azedge", "--query", "[].name");
        var tokensLeft = await AcrAsync(cli, "token", "list", "-r", "azedge", "--query", "[].name");

        // The sync settings: az sends them as properties.syncProperties, beside "logging": {} (no change).
        var resynced = await AcrAsync(cli, "connected-registry", "update", "-r", "azedge", "-n", "edgeone",
            "--sync-message-ttl", "P3D", "--sync-schedule", "0 12 * * *", "--sync-window", "PT4H");

        Assert.NotEqual(0, withoutEndpoint.ExitCode);
        Assert.Contains("data endpoint is disabled", withoutEndpoint.Output, StringComparison.Ordinal);

        Assert.Equal("ReadWrite", Text(created["mode"]));
        Assert.Equal("Offline", Text(created["connectionState"]));
        Assert.Equal("Inactive", Text(created["activation"]!["status"]));
        Assert.Null(created["parent"]!["id"]);
        Assert.EndsWith("/registries/azedge/tokens/edgeone", Text(created["parent"]!["syncProperties"]!["tokenId"]),
            StringComparison.Ordinal);
        Assert.Equal("* * * * *", Text(created["parent"]!["syncProperties"]!["schedule"]));
        Assert.Equal(Duration("P2D"), Text(created["parent"]!["syncProperties"]!["messageTtl"]));
        Assert.Superset(new HashSet<string>
        {
            "repositories/app/api/content/write", "repositories/shop/web/content/delete",
            "gateway/edgeone/config/read", "gateway/edgeone/message/write",
        }, Texts(syncActions).ToHashSet());

        Assert.Equal("ReadOnly", Text(child["mode"]));
        Assert.EndsWith("/connectedRegistries/edgeone", Text(child["parent"]!["id"]), StringComparison.Ordinal);
        Assert.EndsWith("/tokens/clienttok", Text(Assert.Single(updated["clientTokenIds"]!.AsArray())),
            StringComparison.Ordinal);
        Assert.Equal("Debug", Text(updated["logging"]!["logLevel"]));
        Assert.Equal(["app/api:*"], Texts(updated["notificationsList"]));
        Assert.Equal(["edgeone", "edgetwo"], listed.AsArray().Select(c => Text(c!["name"])));
        Assert.Equal(["edgetwo"], Texts(children));
        Assert.Equal(["clienttok"], Texts(clientTokens));
        Assert.Equal("edgeone", Text(settings["SYNC_TOKEN_USER"]));
        Assert.StartsWith("ConnectedRegistryName=edgeone;SyncTokenName=edgeone;",
            Text(settings["ACR_REGISTRY_CONNECTION_STRING"]), StringComparison.Ordinal);
        Assert.Equal("", deactivated.Trim());
        Assert.Equal("Inactive", Text(shown["activation"]!["status"]));
        Assert.Equal(["edgeone"], Texts(left));
        Assert.Equal(["clienttok", "edgeone"], Texts(tokensLeft).Order());

        var sync = resynced["parent"]!["syncProperties"]!;
        Assert.Equal(new[] { Duration("P3D"), "0 12 * * *", Duration("PT4H") },
            new[] { sync["messageTtl"], sync["schedule"], sync["syncWindow"] }.Select(v => v?.GetValue<string>()));
        Assert.Equal("Debug", resynced["logging"]!["logLevel"]?.GetValue<string>());
    }

    private static readonly string[] SystemScopeMaps =
    [
        "_repositories_pull", "_repositories_pull_metadata_read", "_repositories_push",
        "_repositories_push_metadata_write", "_repositories_admin",
    ];

    /// <summary>Signs az in and creates a registry of the given SKU in group rg1.</summary>
    private static async Task<AzureCli> RegistryAsync(AcreProcess acre, TempDirectory work, string name, string sku)
    {
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        await cli.JsonAsync("group", "create", "-n", "rg1", "-l", "westus");
        await cli.JsonAsync("acr", "create", "-n", name, "-g", "rg1", "--sku", sku);
        return cli;
    }

    /// <summary>Runs <c>az acr …</c> for JSON.</summary>
    private static Task<JsonNode> AcrAsync(AzureCli cli, params string[] arguments) =>
        cli.JsonAsync(["acr", .. arguments]);

    /// <summary>
    /// A data-plane GET on a registry, reached at localhost with its login server in the Host header, signed in with
    /// Basic credentials.
    /// </summary>
    private static async Task<HttpStatusCode> GetAsync(
        AcreProcess acre, string registry, string path, string username, string password)
    {
        using var http = acre.Https();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = acre.LoginServer(registry);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static string PasswordValue(JsonNode tokenOrCredentials, string name)
    {
        var passwords = (tokenOrCredentials["credentials"] ?? tokenOrCredentials)["passwords"]!.AsArray();
        return Text(passwords.Single(p => Text(p!["name"]) == name)!["value"]);
    }

    /// <summary>An ISO 8601 duration as az prints it: Python's timedelta, such as <c>2 days, 0:00:00</c>.</summary>
    private static string Duration(string iso) => System.Xml.XmlConvert.ToTimeSpan(iso) switch
    {
        { Days: > 0 } span => $"{span.Days} day{(span.Days == 1 ? "" : "s")}, {span:h\\:mm\\:ss}",
        var span => $"{span:h\\:mm\\:ss}",
    };

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    private static string[] Texts(JsonNode? node) => [.. node!.AsArray().Select(Text)];

    private static string[] Texts(JsonNode? node, string property) =>
        [.. node!.AsArray().Select(item => Text(item![property]))];

    private static DateTimeOffset Time(JsonNode? node) =>
        DateTimeOffset.Parse(Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
