using System.Text;
using Acre.Content;

namespace Acre.Tests.Content;

public sealed class ManifestParserTests
{
    private static readonly string Layer = "sha256:" + new string('1', 64);
    private static readonly string Config = "sha256:" + new string('2', 64);

    [Fact]
    public void Parse_ReadsImageManifest()
    {
        var result = Parse(Image(), MediaTypes.OciManifest);

        Assert.Equal(ManifestParseStatus.Ok, result.Status);
        Assert.Equal(2, result.Manifest!.References.Count);
        Assert.Equal("application/vnd.oci.image.config.v1+json", result.Manifest.ConfigMediaType);
    }

    [Fact]
    public void Parse_ReadsArtifactTypeAndSubject()
    {
        string json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","artifactType":"application/x-sbom",
             "config":{"mediaType":"{{MediaTypes.OciEmpty}}","digest":"{{Config}}","size":2},"layers":[],
             "subject":{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{Layer}}","size":10} }
            """;

        var manifest = Parse(json, null).Manifest!;

        Assert.Equal("application/x-sbom", manifest.ArtifactType);
        Assert.Equal(Layer, manifest.Subject.ToString());
    }

    [Fact]
    public void Parse_MarksForeignLayers()
    {
        string json = Image().Replace("\"size\":5}", "\"size\":5,\"urls\":[\"https://example.invalid/l\"]}",
            StringComparison.Ordinal);

        var manifest = Parse(json, MediaTypes.OciManifest).Manifest!;

        Assert.Contains(manifest.References, r => r.IsForeign);
    }

    [Fact]
    public void Parse_RefusesContentTypeMismatch()
    {
        var result = Parse(Image(), MediaTypes.DockerManifest);

        Assert.Equal(ManifestParseStatus.Invalid, result.Status);
        Assert.Contains("does not match", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""")]
    [InlineData("""{"schemaVersion":3,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{}]}""")]
    public void Parse_RefusesInvalid(string json) =>
        Assert.Equal(ManifestParseStatus.Invalid, Parse(json, null).Status);

    [Fact]
    public void Parse_RefusesSchema1AsUnsupported() =>
        Assert.Equal(ManifestParseStatus.Unsupported,
            Parse("""{"schemaVersion":1,"name":"a","tag":"b","fsLayers":[]}""", null).Status);

    [Fact]
    public void Parse_ReadsIndexChildrenAsManifests()
    {
        string json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[
              {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{Layer}}","size":7,
               "platform":{"architecture":"arm64","os":"linux"} }]}
            """;

        var manifest = Parse(json, MediaTypes.OciIndex).Manifest!;

        Assert.True(manifest.IsIndex);
        Assert.True(manifest.References.Single().IsManifest);
    }

    private static string Image() => $$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Config}}","size":3},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{Layer}}","size":5}]}
        """;

    private static ManifestParseResult Parse(string json, string? contentType) =>
        ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType);
}
