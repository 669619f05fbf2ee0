using System.Net;
using Acre.Tests.Support;

namespace Acre.Tests.DataPlane;

public sealed class InMemoryTests
{
    [Fact]
    public async Task InMemory_KeepsContentOnlyWhileRunning_AndTrustInTheDataDirectory()
    {
        var acre = new AcreServerFixture { Configure = o => o with { InMemory = true } };
        await acre.InitializeAsync();
        string store = acre.Server.StorageRoot;
        string ca = acre.Server.CaCertificatePath;
        try
        {
            using var client = acre.Admin();
            await new OciPusher(client).PushImageAsync("mem/app", "1");

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/mem/app/manifests/1")).StatusCode);
            Assert.False(store.StartsWith(acre.DataDir, StringComparison.Ordinal));
            Assert.True(File.Exists(ca));
            Assert.StartsWith(acre.DataDir, ca, StringComparison.Ordinal);
        }
        finally
        {
            await acre.DisposeAsync();
        }

        Assert.False(Directory.Exists(store));
    }
}
