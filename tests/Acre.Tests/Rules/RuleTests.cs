using Acre.Identity;
using Acre.Management.Children;
using Acre.Transfer;

namespace Acre.Tests.Rules;

/// <summary>The small rules ACR documents: webhook scopes, scope-map patterns, cache-rule mapping, secret
/// names.</summary>
public sealed class RuleTests
{
    [Theory]
    [InlineData("", "any/repo", "v1", true)]
    [InlineData("app:v1", "app", "v1", true)]
    [InlineData("app:v1", "app", "v2", false)]
    [InlineData("app:*", "app", null, true)]
    [InlineData("app", "app", "latest", true)]
    [InlineData("app", "app", "v1", false)]
    [InlineData("team/*:*", "team/api", "1", true)]
    [InlineData("team/*:*", "other/api", "1", false)]
    public void WebhookScope_MatchesAsAcrDocumentsIt(string scope, string repository, string? tag, bool matches) =>
        Assert.Equal(matches, WebhookKind.ScopeMatches(scope, repository, tag));

    [Theory]
    [InlineData("*", "anything/at/all", true)]
    [InlineData("app/*", "app/api", true)]
    [InlineData("app/*", "app", false)]
    [InlineData("app/*", "application/api", false)]
    [InlineData("app/api", "app/api", true)]
    public void ScopeMapPattern_CoversRepositories(string pattern, string repository, bool covers) =>
        Assert.Equal(covers, ScopeMaps.Covers(pattern, repository));

    [Fact]
    public void ScopeMapActions_BecomeTokenScopes()
    {
        var scopes = ScopeMaps.ToScopes(
        [
            "repositories/app/*/content/read", "repositories/app/*/content/write", "repositories/x/metadata/read",
            "gateway/edge/config/read",
        ]);

        var app = Assert.Single(scopes, s => s.Name == "app/*");
        Assert.Equal(["pull", "push"], app.Actions.Order());
        Assert.Equal(["metadata_read"], Assert.Single(scopes, s => s.Name == "x").Actions);
    }

    [Theory]
    [InlineData("mirror/*", "docker.io/library/*", "mirror/ubuntu", "docker.io/library/ubuntu")]
    [InlineData("mirror/*", "docker.io/library/*", "mirror/team/app", "docker.io/library/team/app")]
    [InlineData("busybox", "127.0.0.1:5000/library/busybox", "busybox", "127.0.0.1:5000/library/busybox")]
    [InlineData("busybox", "127.0.0.1:5000/library/busybox", "busybox2", null)]
    [InlineData("mirror/*", "docker.io/library/*", "other/ubuntu", null)]
    public void CacheRule_MapsTargetToSource(string target, string source, string repository, string? upstream) =>
        Assert.Equal(upstream, CacheRules.Map(target, source, repository));

    [Theory]
    [InlineData("docker.io/library/*", "mirror/*", null)]
    [InlineData("docker.io/library/ubuntu", "ubuntu", null)]
    [InlineData("docker.io/library/*", "ubuntu", "must both end")]
    [InlineData("ubuntu", "ubuntu", "login server")]
    [InlineData("docker.io/Library/Ubuntu", "ubuntu", "valid repository")]
    public void CacheRule_Validation(string source, string target, string? error)
    {
        string? message = CacheRuleKind.Validate(source, target);

        if (error is null)
        {
            Assert.Null(message);
        }
        else
        {
            Assert.Contains(error, message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("https://myvault.vault.azure.net/secrets/hub-user", "ACRE_SECRET_MYVAULT_HUB_USER")]
    [InlineData("https://myvault.vault.azure.net/secrets/hub-user/0123abcd", "ACRE_SECRET_MYVAULT_HUB_USER")]
    [InlineData("http://myvault.vault.azure.net/secrets/x", null)]
    [InlineData("https://myvault.vault.azure.net/keys/x", null)]
    public void SecretUri_NamesItsVariable(string uri, string? variable) =>
        Assert.Equal(variable, SecretResolver.VariableName(uri));
}
