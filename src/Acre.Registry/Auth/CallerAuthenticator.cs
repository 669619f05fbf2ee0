using System.Security.Cryptography;
using System.Text;
using Acre.Identity;
using Acre.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Acre.Registry.Auth;

/// <summary>Reads the caller from a request: admin Basic credentials or an ACR access token.</summary>
public sealed class CallerAuthenticator(RegistryTokens tokens)
{
    public AuthenticationOutcome Authenticate(HttpContext context, RegistryFeature registry)
    {
        string? header = context.Request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(header) || registry.Registry is null)
        {
            return AuthenticationOutcome.Anonymous;
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var credentials = ParseBasic(header.AsSpan(6).Trim());
            return credentials is { } c && CheckPassword(registry.Registry, c.User, c.Password) is { } caller
                ? AuthenticationOutcome.Authenticated(caller)
                : AuthenticationOutcome.Failed;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var grant = tokens.ReadAccessToken(header[7..].Trim(), registry.Audience);
            return grant is null
                ? AuthenticationOutcome.Failed
                : AuthenticationOutcome.Authenticated(new Caller(grant.Subject, false, grant, FromBearer: true));
        }

        return AuthenticationOutcome.Failed;
    }

    /// <summary>The caller the user name and password identify on this registry, or null.</summary>
    public static Caller? CheckPassword(RegistryRecord registry, string user, string password)
    {
        if (!registry.AdminUserEnabled || !string.Equals(user, registry.Name, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        bool matches = FixedTimeEquals(password, registry.AdminPassword) |
            FixedTimeEquals(password, registry.AdminPassword2);
        return matches ? new Caller(registry.Name, IsAdmin: true, null, FromBearer: false) : null;
    }

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
