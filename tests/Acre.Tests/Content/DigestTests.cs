using Acre.Content;

namespace Acre.Tests.Content;

public sealed class DigestTests
{
    [Fact]
    public void TryParse_AcceptsSha256()
    {
        string text = "sha256:" + new string('a', 64);

        Assert.True(Digest.TryParse(text, out var digest, out _));
        Assert.Equal(text, digest.ToString());
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha256:" + "A000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("nocolon")]
    [InlineData(":" + "a")]
    [InlineData("SHA256:0000000000000000000000000000000000000000000000000000000000000000")]
    public void TryParse_RefusesMalformed(string text)
    {
        Assert.False(Digest.TryParse(text, out _, out var error));
        Assert.Equal(DigestError.Malformed, error);
    }

    [Fact]
    public void TryParse_ReportsSha512AsUnsupported()
    {
        Assert.False(Digest.TryParse("sha512:" + new string('0', 128), out _, out var error));
        Assert.Equal(DigestError.UnsupportedAlgorithm, error);
    }

    [Fact]
    public void Compute_HashesEmptyContent()
    {
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            Digest.Compute([]).ToString());
    }
}
