using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Acre.Identity;

/// <summary>The RSA key that signs every token Acre issues; made once and kept in the data directory (0600).</summary>
public sealed class SigningKey : IDisposable
{
    private SigningKey(RSA rsa)
    {
        Rsa = rsa;
        var publicKey = rsa.ExportParameters(includePrivateParameters: false);
        KeyId = Base64Url.EncodeToString(SHA256.HashData(publicKey.Modulus!))[..16];
    }

    public RSA Rsa { get; }

    public string KeyId { get; }

    public static SigningKey LoadOrCreate(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return new SigningKey(rsa);
        }

        rsa.KeySize = 2048;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temporary = path + ".tmp";
        SecretFile.Write(temporary, Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));

        File.Move(temporary, path, overwrite: true);
        return new SigningKey(rsa);
    }

    public void Dispose() => Rsa.Dispose();
}
