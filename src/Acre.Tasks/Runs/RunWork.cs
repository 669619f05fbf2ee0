using System.Text.Json.Nodes;
using Acre.Tasks.Building;
using Acre.Tasks.Dockerfiles;

namespace Acre.Tasks.Runs;

/// <summary>An image a run built: its state and its serialized config and manifest.</summary>
public sealed record BuiltImage(ImageState Image, byte[] Config, byte[] Manifest);

/// <summary>
/// What one run works with: its registry and names, its unpacked context and scratch space, its log, the images
/// it built and pushed; and the two things every kind of run does, building a Dockerfile and pushing an image.
/// </summary>
public sealed class RunWork(string registry, string runId, string loginServer, string contextDirectory,
    string workDirectory, RunLog log, ImageBuilder builder, ImagePublisher publisher, TimeProvider time)
{
    public string Registry => registry;

    public string RunId => runId;

    public string LoginServer => loginServer;

    public string ContextDirectory => contextDirectory;

    public string WorkDirectory => workDirectory;

    public RunLog Log => log;

    public JsonArray Outputs { get; } = [];

    /// <summary>The registry images the run's builds read, each once.</summary>
    public List<BaseImageDependency> Dependencies { get; } = [];

    /// <summary>The registry's own host names, which image names may start with.</summary>
    public string[] OwnHosts
    {
        get
        {
            string host = loginServer.Split(':')[0];
            return [loginServer, host, "localhost" + loginServer[host.Length..]];
        }
    }

    public async Task<BuiltImage> BuildAsync(string dockerfilePath, string buildContext,
        IReadOnlyDictionary<string, string> arguments, string? target, CancellationToken ct)
    {
        string dockerfile = SafePath.Under(contextDirectory, dockerfilePath, followLast: true);
        if (!File.Exists(dockerfile) || new FileInfo(dockerfile).Length > DockerfileParser.MaxBytes)
        {
            throw new DockerfileException($"the Dockerfile '{dockerfilePath}' is not in the context or is larger " +
                $"than {DockerfileParser.MaxBytes} bytes");
        }

        var instructions = DockerfileParser.Parse(await File.ReadAllTextAsync(dockerfile, ct));
        string scratch = Path.Combine(workDirectory, "build-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(scratch);
        var request = new BuildRequest(registry, OwnHosts, SafePath.Under(contextDirectory, buildContext), scratch,
            arguments, target, BuildahRun.IsInstalled());
        var image = await builder.BuildAsync(instructions, request, log.Line, ct);
        Dependencies.AddRange(image.Dependencies.Except(Dependencies));
        var (config, manifest) = ImagePublisher.Serialize(image, time.GetUtcNow());
        log.Line($"Successfully built {Content.Digest.Compute(config).Hex[..12]}");
        return new BuiltImage(image, config, manifest);
    }

    public async Task PushAsync(string name, BuiltImage built, CancellationToken ct)
    {
        var (repository, tag) = SplitImage(name);
        log.Info($"Pushing image: {loginServer}/{repository}:{tag}, attempt 1");
        var digest = await publisher.PublishAsync(registry, repository, [tag], built.Image, built.Config,
            built.Manifest, $"run/{runId}", ct);
        log.Info($"Successfully pushed image: {loginServer}/{repository}:{tag}");
        Outputs.Add(new JsonObject
        {
            ["registry"] = loginServer,
            ["repository"] = repository,
            ["tag"] = tag,
            ["digest"] = digest.ToString(),
        });
    }

    /// <summary>The repository and tag of an image name, which may start with the registry's own host.</summary>
    public (string Repository, string Tag) SplitImage(string name)
    {
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && OwnHosts.Contains(name[..slash], StringComparer.OrdinalIgnoreCase))
        {
            name = name[(slash + 1)..];
        }
        else if (slash > 0 && name[..slash].IndexOfAny(['.', ':']) >= 0)
        {
            throw new DockerfileException($"'{name}' names another registry; a run pushes to its own registry only");
        }

        int colon = name.LastIndexOf(':');
        var (repository, tag) = colon > 0 ? (name[..colon], name[(colon + 1)..]) : (name, "latest");
        return Content.Names.IsValidRepository(repository) && Content.Names.IsValidTag(tag)
            ? (repository, tag)
            : throw new DockerfileException($"'{name}' is not a valid image name");
    }
}
