using System.Net;
using System.Net.Http.Headers;
using Acre.Tests.Support;

namespace Acre.Tests.Management;

/// <summary><c>--host</c>: another name for the management plane, in the certificate and in token audiences.</summary>
public sealed class ManagementHostTests : IAsyncLifetime
{
    private const string Host = "management.azure.test";

    private readonly AcreServerFixture _acre = new() { Configure = o => o with { ManagementHosts = [Host] } };

    public Task InitializeAsync() => _acre.InitializeAsync();

    public Task DisposeAsync() => _acre.DisposeAsync();

    [Fact]
    public async Task ExtraHost_ServesArm_OverVerifiedTls_WithItsOwnAudience()
    {
        string root = $"https://{Host}:{_acre.Server.HttpsPort}/";
        string token = await Arm.TokenAsync(_acre, scope: root + "/.default");
        using var client = _acre.Https(Host);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync("/subscriptions?api-version=2022-12-01");
        using var discovery = await client.GetAsync("/adfs/.well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
    }
}
