using System.Text.Json.Nodes;
using Acre.Tasks.Building;
using Acre.Tasks.Dockerfiles;
using Acre.Tests.Support;

namespace Acre.Tests.Tasks;

/// <summary>The builder on FROM scratch: config instructions, one layer per COPY, stages and RUN's refusal.</summary>
public sealed class ImageBuilderTests
{
    [Fact]
    public async Task BuildAsync_MakesTheConfigAndOneLayerPerCopy()
    {
        // Arrange
        using var work = new TempDirectory();
        string context = Directory.CreateDirectory(Path.Combine(work.Path, "context")).FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "a");
        var instructions = DockerfileParser.Parse("""
            ARG VERSION=1
            FROM scratch AS first
            COPY a.txt /first/
            FROM scratch
            ARG VERSION
            ENV APP_VERSION=$VERSION
            LABEL org.example.name="demo app"
            WORKDIR /srv
            COPY --from=first /first/a.txt copied.txt
            USER 1000
            EXPOSE 8080 53/udp
            ENTRYPOINT ["/app"]
            CMD --serve
            """);

        // Act
        var image = await Builder().BuildAsync(instructions, Request(work, context, "2"), _ => { },
            CancellationToken.None);

        // Assert
        var config = image.Config;
        Assert.Single(image.Layers);
        Assert.Equal(["APP_VERSION=2"], config["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("demo app", config["Labels"]!["org.example.name"]!.GetValue<string>());
        Assert.Equal("/srv", config["WorkingDir"]!.GetValue<string>());
        Assert.Equal("1000", config["User"]!.GetValue<string>());
        Assert.Equal(["8080/tcp", "53/udp"], config["ExposedPorts"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["/app"], config["Entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["/bin/sh", "-c", "--serve"], config["Cmd"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(9, image.History.Count);
        string unpacked = Path.Combine(work.Path, "unpacked");
        await using (var layer = File.OpenRead(image.Layers[0].FilePath!))
        {
            await ArchiveExtractor.ExtractAsync(layer, unpacked, whiteouts: true, CancellationToken.None);
        }

        Assert.Equal("a", await File.ReadAllTextAsync(Path.Combine(unpacked, "srv", "copied.txt")));
        var (configBytes, manifest) = ImagePublisher.Serialize(image, DateTimeOffset.UnixEpoch);
        var document = JsonNode.Parse(manifest)!;
        Assert.Equal(ImagePublisher.ConfigMediaType, document["config"]!["mediaType"]!.GetValue<string>());
        Assert.Equal("amd64", JsonNode.Parse(configBytes)!["architecture"]!.GetValue<string>());
    }

    [Fact]
    public async Task BuildAsync_FailsRunWithALineNamingBuildah_WhenItCannotRun()
    {
        using var work = new TempDirectory();
        string context = Directory.CreateDirectory(Path.Combine(work.Path, "context")).FullName;
        var instructions = DockerfileParser.Parse("FROM scratch\nRUN echo hi\n");

        var error = await Assert.ThrowsAsync<DockerfileException>(() => Builder().BuildAsync(instructions,
            Request(work, context, null) with { CanRun = false }, _ => { }, CancellationToken.None));

        Assert.Contains("RUN needs buildah", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_RefusesACopySourceOutsideTheContext()
    {
        using var work = new TempDirectory();
        string context = Directory.CreateDirectory(Path.Combine(work.Path, "context")).FullName;
        var instructions = DockerfileParser.Parse("FROM scratch\nCOPY ../secret /\n");

        await Assert.ThrowsAsync<DockerfileException>(() => Builder().BuildAsync(instructions,
            Request(work, context, null), _ => { }, CancellationToken.None));
    }

    private static ImageBuilder Builder() => new(new BaseImages(null!, null!), TimeProvider.System);

    private static BuildRequest Request(TempDirectory work, string context, string? version) => new("local",
        ["local.azurecr.localhost"], context, Directory.CreateDirectory(Path.Combine(work.Path, "work")).FullName,
        version is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["VERSION"] = version },
        null, CanRun: true);
}
