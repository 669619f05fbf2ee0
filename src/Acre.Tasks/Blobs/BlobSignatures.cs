using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Acre.Tasks.Blobs;

/// <summary>
/// The shared-access signatures of the blob host: an HMAC over the blob's path, permissions and expiry, with a
/// key kept in the data directory, so that a URL Acre hands out works for that one blob and nothing else.
/// </summary>
public sealed class BlobSignatures
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public BlobSignatures(TasksOptions options, TimeProvider time)
    {
        _time = time;
        Directory.CreateDirectory(options.Root);
        if (File.Exists(options.KeyPath))
        {
            _key = File.ReadAllBytes(options.KeyPath);
            return;
        }

        _key = RandomNumberGenerator.GetBytes(32);
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(options.KeyPath, file);
        stream.Write(_key);
    }

    /// <summary>The query string of a URL for <paramref name="path"/> (container/blob) with the given rights.</summary>
    public string Sign(string path, string permissions, TimeSpan lifetime)
    {
        string expiry = (_time.GetUtcNow() + lifetime).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ",
            CultureInfo.InvariantCulture);
        return $"sv=2018-11-09&sr=b&sp={permissions}&se={Uri.EscapeDataString(expiry)}" +
            $"&sig={Signature(path, permissions, expiry)}";
    }

    /// <summary>Whether the request's query signs <paramref name="path"/> with <paramref name="permission"/>.</summary>
    public bool Verify(string path, IQueryCollection query, char permission)
    {
        string permissions = query["sp"].ToString();
        string expiry = query["se"].ToString();
        if (!permissions.Contains(permission, StringComparison.Ordinal) ||
            !DateTimeOffset.TryParse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out var until) ||
            until < _time.GetUtcNow())
        {
            return false;
        }

        byte[] expected = Encoding.ASCII.GetBytes(Signature(path, permissions, expiry));
        byte[] given = Encoding.ASCII.GetBytes(query["sig"].ToString());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private string Signature(string path, string permissions, string expiry) => Convert.ToHexStringLower(
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{path}\n{permissions}\n{expiry}")));
}
