using System.Security.Cryptography;
using System.Text;
using Acre.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Acre.Registry.Auth;

/// <summary>
/// Reads the caller from a request: Basic credentials (the admin user, or Docker's null user with an ACR refresh
/// token) or an ACR access token.
/// </summary>
public sealed class CallerAuthenticator(RegistryTokens tokens, RepositoryTokens repositoryTokens)
{
    /// <summary>The user name Docker and the Azure CLI send with an ACR refresh token as the password.</summary>
    public const string RefreshTokenUser = "00000000-0000-0000-0000-000000000000";

    public async Task<AuthenticationOutcome> AuthenticateAsync(HttpContext context, RegistryFeature registry)
    {
        string? header = context.Request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(header) || registry.Registry is null)
        {
            return AuthenticationOutcome.Anonymous;
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var credentials = ParseBasic(header.AsSpan(6).Trim());
            return credentials is { } c &&
                await CheckPasswordAsync(registry, c.User, c.Password, context.RequestAborted) is { } caller
                ? AuthenticationOutcome.Authenticated(caller)
                : AuthenticationOutcome.Failed;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var grant = tokens.ReadAccessToken(header[7..].Trim(), registry.Audience);
            if (grant is null)
            {
                return AuthenticationOutcome.Failed;
            }

            var current = grant.TokenName is { } tokenName
                ? await repositoryTokens.CurrentGrantAsync(registry.Registry, tokenName, context.RequestAborted)
                : null;
            return grant.TokenName is not null && current is null
                ? AuthenticationOutcome.Failed
                : AuthenticationOutcome.Authenticated(new Caller(grant.Subject, CallerKind.Bearer, grant)
                {
                    Current = current,
                });
        }

        return AuthenticationOutcome.Failed;
    }

    /// <summary>The caller the user name and password identify on this registry, or null.</summary>
    public async Task<Caller?> CheckPasswordAsync(
        RegistryFeature feature, string user, string password, CancellationToken ct)
    {
        if (user == RefreshTokenUser)
        {
            return RefreshTokenCaller(feature, password);
        }

        var registry = feature.Registry!;
        if (!string.Equals(user, registry.Name, StringComparison.OrdinalIgnoreCase))
        {
            return await repositoryTokens.SignInAsync(registry, user, password, ct);
        }

        if (!registry.AdminUserEnabled)
        {
            return null;
        }

        bool matches = FixedTimeEquals(password, registry.AdminPassword) |
            FixedTimeEquals(password, registry.AdminPassword2);
        return matches ? new Caller(registry.Name, CallerKind.Admin, null) : null;
    }

    /// <summary>The principal an ACR refresh token for this registry names, or null.</summary>
    public Caller? RefreshTokenCaller(RegistryFeature feature, string refreshToken) =>
        tokens.ReadRefreshToken(refreshToken, feature.Audience) is { } subject
            ? new Caller(subject, CallerKind.Principal, null)
            : null;

    public static (string User, string Password)? ParseBasic(ReadOnlySpan<char> encoded)
    {
        byte[] buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out int written))
        {
            return null;
        }

        string decoded = Encoding.UTF8.GetString(buffer, 0, written);
        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        expected.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

public sealed record AuthenticationOutcome(Caller? Caller, bool CredentialsRejected)
{
    public static readonly AuthenticationOutcome Anonymous = new(null, false);
    public static readonly AuthenticationOutcome Failed = new(null, true);

    public static AuthenticationOutcome Authenticated(Caller caller) => new(caller, false);
}
