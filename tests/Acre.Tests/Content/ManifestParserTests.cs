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

    [Theory]
    [InlineData("\"platform\":\"linux\"")]
    [InlineData("\"platform\":{\"architecture\":\"amd64\"}")]
    [InlineData("\"platform\":{\"architecture\":\"amd64\",\"os\":7}")]
    [InlineData("\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":7}")]
    [InlineData("\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\",\"os.features\":\"x\"}")]
    [InlineData("\"annotations\":{\"n\":1}")]
    [InlineData("\"annotations\":[]")]
    [InlineData("\"urls\":[1]")]
    [InlineData("\"artifactType\":{}")]
    public void Parse_RefusesMalformedDescriptorProperties(string property)
    {
        var result = Parse(Index($",{property}"), MediaTypes.OciIndex);

        Assert.Equal(ManifestParseStatus.Invalid, result.Status);
        Assert.Contains(Layer, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"digest\":\"DIGEST\",\"size\":7}")]
    [InlineData("{\"mediaType\":1,\"digest\":\"DIGEST\",\"size\":7}")]
    [InlineData("{\"mediaType\":\"a/b\",\"digest\":\"DIGEST\",\"size\":7.5}")]
    [InlineData("{\"mediaType\":\"a/b\",\"digest\":\"DIGEST\",\"size\":-1}")]
    [InlineData("{\"mediaType\":\"a/b\",\"digest\":\"sha256:abc\",\"size\":7}")]
    public void Parse_RefusesDescriptorsWithoutTheRequiredProperties(string descriptor)
    {
        string json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{descriptor.Replace(
                "DIGEST", Layer, StringComparison.Ordinal)}}]}
            """;

        Assert.Equal(ManifestParseStatus.Invalid, Parse(json, MediaTypes.OciIndex).Status);
    }

    [Fact]
    public void Parse_RefusesManifestAnnotationsThatAreNotStrings() =>
        Assert.Equal(ManifestParseStatus.Invalid,
            Parse(Image().TrimEnd()[..^1] + ",\"annotations\":{\"a\":true}}", MediaTypes.OciManifest).Status);

    [Fact]
    public void Parse_AcceptsFullPlatformsAndNullOptionalProperties()
    {
        string properties = ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"," +
            "\"os.version\":\"1\",\"os.features\":[\"a\"]},\"annotations\":{\"a\":\"b\"},\"urls\":null";

        var result = Parse(Index(properties), MediaTypes.OciIndex);

        Assert.Equal(ManifestParseStatus.Ok, result.Status);
    }

    private static string Index(string extraProperties) => $$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[
          {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{Layer}}","size":7{{extraProperties}}}]}
        """;

    private static string Image() => $$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Config}}","size":3},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{Layer}}","size":5}]}
        """;

    private static ManifestParseResult Parse(string json, string? contentType) =>
        ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType);
}
