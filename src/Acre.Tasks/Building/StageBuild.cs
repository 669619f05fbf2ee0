using System.Text.Json.Nodes;
using Acre.Tasks.Dockerfiles;

namespace Acre.Tasks.Building;

/// <summary>One stage of a build: the instructions after its FROM, applied to its image.</summary>
internal sealed class StageBuild(string? name, ImageState image, BuildRequest request,
    IReadOnlyDictionary<string, string> globalArgs, BaseImages bases, TimeProvider time, int index)
{
    private readonly Dictionary<string, string> _args = new(StringComparer.Ordinal);

    public string? Name => name;

    public ImageState Image => image;

    public async Task ApplyAsync(Instruction instruction, List<(string? Name, ImageState Image)> stages,
        Action<string> log, CancellationToken ct)
    {
        var variables = new Dictionary<string, string>(_args, StringComparer.Ordinal);
        foreach (var (key, value) in image.Environment())
        {
            variables[key] = value;
        }

        string text = Words.Expand(instruction.Text, variables);
        var config = image.Config;
        switch (instruction.Keyword)
        {
            case "ARG":
                foreach (var (key, value) in Words.Arguments(instruction.Text))
                {
                    if ((request.Arguments.GetValueOrDefault(key) ?? value ?? globalArgs.GetValueOrDefault(key)) is
                        { } given)
                    {
                        _args[key] = given;
                    }
                }

                break;
            case "ENV":
                foreach (var pair in Words.Pairs(text, legacyForm: true))
                {
                    image.SetEnvironment(pair.Key, pair.Value);
                }

                break;
            case "LABEL":
                var labels = config["Labels"] as JsonObject ?? new JsonObject();
                config["Labels"] = labels;
                foreach (var pair in Words.Pairs(text, legacyForm: false))
                {
                    labels[pair.Key] = pair.Value;
                }

                break;
            case "MAINTAINER":
                break;
            case "WORKDIR":
                string current = config["WorkingDir"]?.GetValue<string>() ?? "/";
                config["WorkingDir"] = "/" + SafePath.Normalize(text.StartsWith('/') ? text : current + "/" + text);
                break;
            case "USER":
                config["User"] = text.Trim();
                break;
            case "EXPOSE":
                var ports = config["ExposedPorts"] as JsonObject ?? new JsonObject();
                config["ExposedPorts"] = ports;
                foreach (string port in Words.Split(text))
                {
                    ports[port.Contains('/', StringComparison.Ordinal) ? port : port + "/tcp"] = new JsonObject();
                }

                break;
            case "VOLUME":
                var volumes = config["Volumes"] as JsonObject ?? new JsonObject();
                config["Volumes"] = volumes;
                foreach (string volume in instruction.Json ?? Words.Split(text))
                {
                    volumes[volume] = new JsonObject();
                }

                break;
            case "STOPSIGNAL":
                config["StopSignal"] = text.Trim();
                break;
            case "SHELL":
                config["Shell"] = Strings(instruction.Json ?? throw new DockerfileException(
                    $"line {instruction.Line}: SHELL takes a JSON array"));
                break;
            case "CMD" or "ENTRYPOINT":
                string field = instruction.Keyword == "CMD" ? "Cmd" : "Entrypoint";
                config[field] = Strings(instruction.Json ?? [.. Shell(config), instruction.Text]);
                break;
            case "COPY" or "ADD":
                var step = new CopyStep(request, bases, index, image.Layers.Count);
                var layer = await step.RunAsync(instruction, text, config, stages, ct);
                image.Layers.Add(layer);
                image.AddHistory(instruction.Original, emptyLayer: false, time.GetUtcNow());
                return;
            case "RUN":
                await RunAsync(instruction, variables, log, ct);
                return;
            default:
                throw new DockerfileException(
                    $"line {instruction.Line}: {instruction.Keyword} is not supported by Acre's builder");
        }

        image.AddHistory(instruction.Original, emptyLayer: true, time.GetUtcNow());
    }

    /// <summary>RUN: the command in a buildah container over the stage's files; its changes become a layer.</summary>
    /// <remarks>The build args of the stage are in the command's environment, as Docker puts them.</remarks>
    private async Task RunAsync(Instruction instruction, Dictionary<string, string> environment, Action<string> log,
        CancellationToken ct)
    {
        if (instruction.Flags.Count > 0)
        {
            throw new DockerfileException(
                $"line {instruction.Line}: RUN --{instruction.Flags.Keys.First()} is not supported by Acre's builder");
        }

        if (!request.CanRun)
        {
            throw new DockerfileException($"line {instruction.Line}: RUN needs buildah, which is not installed; " +
                "install buildah where Acre runs, or build images with RUN elsewhere and push them");
        }

        string staging = Path.Combine(request.WorkDirectory, $"layer-{index}-{image.Layers.Count}");
        var command = instruction.Json ?? [.. Shell(image.Config), instruction.Text];
        await new BuildahRun(request.WorkDirectory, log).RunAsync(image, bases, command, environment, staging, ct);
        var layer = await LayerWriter.WriteAsync(staging, staging + ".tar.gz", ct);
        Directory.Delete(staging, recursive: true);
        image.Layers.Add(new LayerRef(layer.Digest, layer.Size, LayerFile.MediaType, layer.DiffId, layer.Path));
        image.AddHistory(instruction.Original, emptyLayer: false, time.GetUtcNow());
    }

    private static IEnumerable<string> Shell(JsonObject config) =>
        (config["Shell"] as JsonArray)?.Select(s => s!.GetValue<string>()) ?? ["/bin/sh", "-c"];

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)v)];
}
