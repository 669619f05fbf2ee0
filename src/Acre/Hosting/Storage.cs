using Acre.Cli;
using Acre.Storage;
using Acre.Storage.Sqlite;

namespace Acre.Hosting;

/// <summary>
/// Where content lives. By default under the data directory; with <c>--in-memory</c> in a temporary folder
/// removed when the process exits. The CA and keys stay in the data directory either way.
/// </summary>
public sealed class StorageLocation : IDisposable
{
    private StorageLocation(string root, bool temporary)
    {
        Root = root;
        IsTemporary = temporary;
        Directory.CreateDirectory(root);
        Metadata = new SqliteMetadataStore(Path.Combine(root, "acre.db"), durable: !temporary);
        Blobs = new FileBlobStore(root);
    }

    public string Root { get; }

    public bool IsTemporary { get; }

    public SqliteMetadataStore Metadata { get; }

    public FileBlobStore Blobs { get; }

    public static StorageLocation Open(AcreOptions options) => options.InMemory
        ? new StorageLocation(Path.Combine(Path.GetTempPath(), "acre-" + Guid.NewGuid().ToString("N")), true)
        : new StorageLocation(Path.Combine(options.FullDataDir, "store"), false);

    public void Dispose()
    {
        Metadata.Dispose();
        if (IsTemporary)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a file still open on some platforms stays behind in the temporary folder.
            }
        }
    }
}
