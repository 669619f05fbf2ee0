using Acre.Storage;
using Acre.Storage.Sqlite;
using Acre.Tests.Support;

namespace Acre.Tests.Storage;

public sealed class SqliteMetadataStoreTests : MetadataStoreContract
{
    private readonly TempDirectory _directory = new();

    protected override IMetadataStore CreateStore() =>
        new SqliteMetadataStore(Path.Combine(_directory.Path, "acre.db"));

    protected override void DisposeResources() => _directory.Dispose();
}
