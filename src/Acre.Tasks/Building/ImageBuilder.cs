using System.Text.Json.Nodes;
using Acre.Tasks.Dockerfiles;

namespace Acre.Tasks.Building;

/// <summary>
/// Builds a Dockerfile without a container: every stage from its base image, a gzip layer for each COPY or
/// ADD, and the config changes of the other instructions. RUN needs a container and is refused.
/// </summary>
public sealed class ImageBuilder(BaseImages bases, TimeProvider time)
{
    public async Task<ImageState> BuildAsync(IReadOnlyList<Instruction> instructions, BuildRequest request,
        Action<string> log, CancellationToken ct)
    {
        if (!instructions.Any(i => i.Keyword == "FROM"))
        {
            throw new DockerfileException("the Dockerfile has no FROM instruction");
        }

        var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<(string? Name, ImageState Image)>();
        StageBuild? stage = null;
        for (int i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            log($"Step {i + 1}/{instructions.Count} : {instruction.Original}");
            if (instruction.Keyword == "FROM")
            {
                if (stage is not null)
                {
                    stages.Add((stage.Name, stage.Image));
                }

                stage = await StartStageAsync(instruction, request, globalArgs, stages, ct);
                continue;
            }

            if (stage is null)
            {
                if (instruction.Keyword != "ARG")
                {
                    throw new DockerfileException($"line {instruction.Line}: {instruction.Keyword} before FROM");
                }

                foreach (var (name, value) in Words.Arguments(instruction.Text))
                {
                    if ((request.Arguments.GetValueOrDefault(name) ?? value) is { } given)
                    {
                        globalArgs[name] = given;
                    }
                }

                continue;
            }

            await stage.ApplyAsync(instruction, stages, log, ct);
        }

        stages.Add((stage!.Name, stage.Image));
        var built = stages[^1].Image;
        if (request.Target is { Length: > 0 } target)
        {
            built = stages.LastOrDefault(s => string.Equals(s.Name, target, StringComparison.OrdinalIgnoreCase)).Image
                ?? throw new DockerfileException($"the target stage '{target}' is not in the Dockerfile");
        }

        built.Dependencies = Dependencies(built, stages.Select(s => s.Image.Origin), request.CopySources);
        return built;
    }

    /// <summary>
    /// The base image of the image built is its run-time dependency; the bases of the other stages and the images
    /// COPY --from read are build-time ones (as ACR Tasks tells them apart for base-image triggers).
    /// </summary>
    private static List<BaseImageDependency> Dependencies(ImageState built, IEnumerable<ImageOrigin?> stageOrigins,
        IEnumerable<ImageOrigin> copySources)
    {
        var dependencies = new List<BaseImageDependency>();
        if (built.Origin is { } runtime)
        {
            dependencies.Add(new(BaseImageDependency.RunTime, runtime.Repository, runtime.Tag, runtime.Digest));
        }

        foreach (var origin in stageOrigins.Concat(copySources).OfType<ImageOrigin>().Distinct())
        {
            if (origin != built.Origin)
            {
                dependencies.Add(new(BaseImageDependency.BuildTime, origin.Repository, origin.Tag, origin.Digest));
            }
        }

        return dependencies;
    }

    private async Task<StageBuild> StartStageAsync(Instruction from, BuildRequest request,
        Dictionary<string, string> globalArgs, List<(string? Name, ImageState Image)> stages, CancellationToken ct)
    {
        var words = Words.Split(Words.Expand(from.Text, globalArgs));
        bool named = words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase);
        if (words.Count != 1 && !named)
        {
            throw new DockerfileException($"line {from.Line}: FROM takes an image and an optional 'AS name'");
        }

        if (from.Flags.ContainsKey("platform"))
        {
            throw new DockerfileException(
                $"line {from.Line}: FROM --platform is not supported; Acre builds linux/amd64");
        }

        var earlier = stages.LastOrDefault(s => string.Equals(s.Name, words[0], StringComparison.OrdinalIgnoreCase));
        var image = earlier.Image is { } stageImage
            ? Copy(stageImage)
            : await bases.LoadAsync(request.Registry, request.OwnHosts, words[0], ct);
        return new StageBuild(words.Count == 3 ? words[2] : null, image, request, globalArgs, bases, time,
            stages.Count);
    }

    private static ImageState Copy(ImageState image)
    {
        var copy = new ImageState
        {
            Config = (JsonObject)image.Config.DeepClone(),
            History = (JsonArray)image.History.DeepClone(),
            Architecture = image.Architecture,
            Os = image.Os,
            Origin = image.Origin,
        };
        copy.Layers.AddRange(image.Layers);
        return copy;
    }
}
