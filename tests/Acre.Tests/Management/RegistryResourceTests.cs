using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Acre.Tests.Support;

namespace Acre.Tests.Management;

public sealed class RegistryResourceTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    [Fact]
    public async Task Create_HasAcrDefaults_AndTheDataPlaneIsLive()
    {
        using var client = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(client, "life");

        var registry = await Arm.CreateRegistryAsync(client, "life", "LifeReg1", admin: true);
        var properties = registry.GetProperty("properties");
        using var basic = acre.Http($"lifereg1.{acre.Server.Hosts.Suffix}");
        basic.DefaultRequestHeaders.Authorization = AcreServerFixture.Basic("lifereg1",
            await PasswordAsync(client, "life", "LifeReg1"));

        Assert.Equal("LifeReg1", registry.GetProperty("name").GetString());
        Assert.Equal($"lifereg1.{acre.Server.Hosts.Suffix}:{acre.Server.HttpsPort}",
            properties.GetProperty("loginServer").GetString());
        Assert.Equal("Succeeded", properties.GetProperty("provisioningState").GetString());
        var quarantine = properties.GetProperty("policies").GetProperty("quarantinePolicy");
        Assert.Equal("disabled", quarantine.GetProperty("status").GetString());
        Assert.Equal("Enabled", properties.GetProperty("publicNetworkAccess").GetString());
        Assert.Equal("Disabled", properties.GetProperty("zoneRedundancy").GetString());
        Assert.False(properties.GetProperty("anonymousPullEnabled").GetBoolean());
        Assert.Equal("Application", registry.GetProperty("systemData").GetProperty("createdByType").GetString());
        Assert.Equal(HttpStatusCode.OK, (await basic.GetAsync("/v2/")).StatusCode);
    }

    [Fact]
    public async Task Put_ReturnsAsyncOperation_ThatHasSucceeded()
    {
        using var client = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(client, "async");

        using var response = await client.PutAsJsonAsync(Url("async", "asyncreg1"),
            new { location = "westus", sku = new { name = "Standard" } });
        var operation = response.Headers.GetValues("Azure-AsyncOperation").Single();
        var status = await client.GetFromJsonAsync<JsonElement>(operation);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Succeeded", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_TakesTheDataPlaneDown_AndPollsToCompletion()
    {
        using var client = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(client, "gone");
        await Arm.CreateRegistryAsync(client, "gone", "gonereg1", admin: true);

        using var delete = await client.DeleteAsync(Url("gone", "gonereg1"));
        using var poll = await client.GetAsync(delete.Headers.Location);
        using var get = await client.GetAsync(Url("gone", "gonereg1"));
        using var dataPlane = acre.Http($"gonereg1.{acre.Server.Hosts.Suffix}");
        using var v2 = await dataPlane.GetAsync("/v2/");

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, poll.StatusCode);
        await Arm.AssertErrorAsync(get, 404, "ResourceNotFound");
        await Errors.AssertAsync(v2, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Names_AreValidated_AndUniqueAcrossGroups()
    {
        using var client = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(client, "names1");
        await Arm.CreateGroupAsync(client, "names2");
        await Arm.CreateRegistryAsync(client, "names1", "takenreg");

        using var taken = await client.PutAsJsonAsync(Url("names2", "TakenReg"),
            new { location = "westus", sku = new { name = "Basic" } });
        using var invalid = await client.PutAsJsonAsync(Url("names2", "a-b"),
            new { location = "westus", sku = new { name = "Basic" } });
        using var sku = await client.PutAsJsonAsync(Url("names2", "skureg1"),
            new { location = "westus", sku = new { name = "Gold" } });
        using var location = await client.PutAsJsonAsync(Url("names2", "locreg1"),
            new { location = "moon", sku = new { name = "Basic" } });
        using var check = await client.PostAsJsonAsync(
            $"/subscriptions/{Arm.Subscription}/providers/Microsoft.ContainerRegistry/checkNameAvailability" +
            $"?{Arm.RegistryApi}",
            new { name = "TAKENREG", type = "Microsoft.ContainerRegistry/registries" });
        var availability = await check.Content.ReadFromJsonAsync<JsonElement>();

        await Arm.AssertErrorAsync(taken, 400, "AlreadyInUse");
        await Arm.AssertErrorAsync(invalid, 400, "InvalidResourceName");
        await Arm.AssertErrorAsync(sku, 400, "InvalidSkuName");
        await Arm.AssertErrorAsync(location, 400, "LocationNotAvailableForResourceType");
        Assert.False(availability.GetProperty("nameAvailable").GetBoolean());
        Assert.Equal("AlreadyExists", availability.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Ids_MatchCaseInsensitively()
    {
        using var client = await Arm.ClientAsync(acre);

        using var response = await client.GetAsync(
            $"/SUBSCRIPTIONS/{Arm.Subscription.ToUpperInvariant()}/RESOURCEGROUPS/ACRE/PROVIDERS/" +
            $"microsoft.containerregistry/REGISTRIES/LOCAL?{Arm.RegistryApi}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Patch_AppliesSkuRules()
    {
        using var client = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(client, "sku");
        await Arm.CreateRegistryAsync(client, "sku", "skurules1");
        string path = Url("sku", "skurules1");

        var anonymous = new { anonymousPullEnabled = true };
        using var refused = await client.PatchAsJsonAsync(path, new { properties = anonymous });
        using var upgraded = await client.PatchAsJsonAsync(path,
            new { sku = new { name = "Standard" }, tags = new { team = "a" }, properties = anonymous });
        var body = await upgraded.Content.ReadFromJsonAsync<JsonElement>();

        await Arm.AssertErrorAsync(refused, 400, "SkuNotSupported");
        Assert.Equal(HttpStatusCode.OK, upgraded.StatusCode);
        Assert.Equal("Standard", body.GetProperty("sku").GetProperty("tier").GetString());
        Assert.Equal("a", body.GetProperty("tags").GetProperty("team").GetString());
        Assert.True(body.GetProperty("properties").GetProperty("anonymousPullEnabled").GetBoolean());
    }

    [Fact]
    public async Task Credentials_RegenerateOnlyTheNamedPassword_AndAdminOffClosesBasic()
    {
        using var client = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(client, "creds");
        await Arm.CreateRegistryAsync(client, "creds", "credreg1", admin: true);
        string path = Arm.RegistryPath("creds", "credreg1");
        string before = await PasswordAsync(client, "creds", "credreg1");

        using var regenerate = await client.PostAsJsonAsync($"{path}/regenerateCredential?{Arm.RegistryApi}",
            new { name = "password2" });
        var passwords = (await regenerate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("passwords");
        using var dataPlane = acre.Http($"credreg1.{acre.Server.Hosts.Suffix}",
            AcreServerFixture.Basic("credreg1", before));
        var whileEnabled = (await dataPlane.GetAsync("/v2/")).StatusCode;
        await client.PatchAsJsonAsync($"{path}?{Arm.RegistryApi}",
            new { properties = new { adminUserEnabled = false } });
        var afterDisabled = (await dataPlane.GetAsync("/v2/")).StatusCode;
        using var listCredentials = await client.PostAsync($"{path}/listCredentials?{Arm.RegistryApi}", null);

        Assert.Equal(before, passwords[0].GetProperty("value").GetString());
        Assert.Equal(HttpStatusCode.OK, whileEnabled);
        Assert.Equal(HttpStatusCode.Unauthorized, afterDisabled);
        await Arm.AssertErrorAsync(listCredentials, 400, "AdminUserDisabled");
    }

    [Fact]
    public async Task Usages_CountRealBytes()
    {
        using var client = await Arm.ClientAsync(acre);
        await Arm.CreateGroupAsync(client, "usage");
        await Arm.CreateRegistryAsync(client, "usage", "usagereg1", admin: true);
        using var dataPlane = acre.Http($"usagereg1.{acre.Server.Hosts.Suffix}",
            AcreServerFixture.Basic("usagereg1", await PasswordAsync(client, "usage", "usagereg1")));
        var (_, manifest) = await new OciPusher(dataPlane).PushImageAsync("app", "1", "0123456789");

        var usages = await client.GetFromJsonAsync<JsonElement>(
            $"{Arm.RegistryPath("usage", "usagereg1")}/listUsages?{Arm.RegistryApi}");
        var size = usages.GetProperty("value").EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == "Size");

        Assert.True(size.GetProperty("currentValue").GetInt64() > manifest.Length + 10);
        Assert.Equal(10L * 1024 * 1024 * 1024, size.GetProperty("limit").GetInt64());
    }

    [Fact]
    public async Task GenericResources_FilterByType_AndProviderPublishesApiVersions()
    {
        using var client = await Arm.ClientAsync(acre);

        var resources = await client.GetFromJsonAsync<JsonElement>(
            $"/subscriptions/{Arm.Subscription}/resources" +
            "?$filter=resourceType eq 'Microsoft.ContainerRegistry/registries'&api-version=2021-04-01");
        var provider = await client.GetFromJsonAsync<JsonElement>(
            $"/subscriptions/{Arm.Subscription}/providers/Microsoft.ContainerRegistry?api-version=2022-09-01");
        var registries = provider.GetProperty("resourceTypes").EnumerateArray()
            .Single(t => t.GetProperty("resourceType").GetString() == "registries");

        var names = resources.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString());
        var versions = registries.GetProperty("apiVersions").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Contains("local", names);
        Assert.Contains("2025-11-01", versions);
        Assert.Contains("2019-06-01-preview", versions);
    }

    [Fact]
    public async Task ResourceGroups_CreateGetHeadListDelete_WithEverythingInThem()
    {
        using var client = await Arm.ClientAsync(acre);
        string path = $"/subscriptions/{Arm.Subscription}/resourcegroups/doomed?api-version=2021-04-01";
        using var created = await Arm.CreateGroupAsync(client, "doomed");
        await Arm.CreateRegistryAsync(client, "doomed", "doomedreg1");

        var head = (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode;
        using var delete = await client.DeleteAsync(path);
        using var get = await client.GetAsync(path);
        using var registry = await client.GetAsync(Url("doomed", "doomedreg1"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, head);
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await Arm.AssertErrorAsync(get, 404, "ResourceGroupNotFound");
        await Arm.AssertErrorAsync(registry, 404, "ResourceNotFound");
    }

    private static string Url(string group, string name) => $"{Arm.RegistryPath(group, name)}?{Arm.RegistryApi}";

    private static async Task<string> PasswordAsync(HttpClient client, string group, string name)
    {
        string path = $"{Arm.RegistryPath(group, name)}/listCredentials?{Arm.RegistryApi}";
        using var response = await client.PostAsync(path, null);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("passwords")[0].GetProperty("value").GetString()!;
    }
}
