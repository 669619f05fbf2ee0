using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Acre.Identity;

/// <summary>Compact JWS with RS256: just what Acre issues and accepts, nothing else.</summary>
public static class Jwt
{
    public static string Sign(JsonObject claims, SigningKey key)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = key.KeyId };
        string signingInput = Encode(header) + "." + Encode(claims);
        byte[] signature = key.Rsa.SignData(
            Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The claims of a token whose RS256 signature <paramref name="key"/> verifies, or null.</summary>
    public static JsonObject? Verify(string token, SigningKey key)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3 || token.Length > 64 * 1024)
        {
            return null;
        }

        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) as JsonObject;
            if (header?["alg"]?.GetValue<string>() != "RS256")
            {
                return null;
            }

            byte[] signature = Base64Url.DecodeFromChars(parts[2]);
            byte[] signed = Encoding.ASCII.GetBytes(token.AsSpan(0, parts[0].Length + 1 + parts[1].Length).ToString());
            if (!key.Rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return null;
            }

            return JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Encode(JsonObject value) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value.ToJsonString()));
}
