using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Acre.Content;

/// <summary>A content digest, <c>algorithm:hex</c>; only sha256 is stored, as ACR stores.</summary>
public readonly record struct Digest(string Algorithm, string Hex)
{
    public const string Sha256 = "sha256";

    public override string ToString() => $"{Algorithm}:{Hex}";

    /// <summary>Parses a digest of any registered algorithm; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Digest? digest, out DigestError error)
    {
        digest = null;
        error = DigestError.Malformed;
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return false;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        string algorithm = text[..colon];
        string hex = text[(colon + 1)..];
        int expected = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (expected < 0)
        {
            error = IsAlgorithmShaped(algorithm) ? DigestError.UnsupportedAlgorithm : DigestError.Malformed;
            return false;
        }

        if (hex.Length != expected || !IsLowerHex(hex))
        {
            return false;
        }

        if (algorithm != Sha256)
        {
            error = DigestError.UnsupportedAlgorithm;
            return false;
        }

        digest = new Digest(algorithm, hex);
        error = DigestError.None;
        return true;
    }

    public static Digest Compute(ReadOnlySpan<byte> content) =>
        new(Sha256, Convert.ToHexStringLower(SHA256.HashData(content)));

    public static Digest FromHash(ReadOnlySpan<byte> sha256Hash) => new(Sha256, Convert.ToHexStringLower(sha256Hash));

    public static bool IsDigestShaped(string text) => text.Contains(':', StringComparison.Ordinal);

    private static bool IsLowerHex(string hex)
    {
        foreach (char c in hex)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlgorithmShaped(string algorithm)
    {
        foreach (char c in algorithm)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

public enum DigestError
{
    None,
    Malformed,
    UnsupportedAlgorithm,
}
