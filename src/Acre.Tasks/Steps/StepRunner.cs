using Acre.Tasks.Building;
using Acre.Tasks.Dockerfiles;
using Acre.Tasks.Runs;

namespace Acre.Tasks.Steps;

/// <summary>
/// Runs the steps of a task file in order: <c>build</c> (docker build's flags) keeps the image in the run,
/// <c>push</c> stores built images in the registry, <c>cmd</c> runs an image's command through buildah. A step
/// that outlives its timeout is stopped and fails, unless its errors are ignored.
/// </summary>
public sealed class StepRunner(BaseImages bases, TimeProvider time)
{
    public async Task RunAsync(RunWork work, IReadOnlyList<TaskStep> steps, CancellationToken ct)
    {
        var built = new Dictionary<string, BuiltImage>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            work.Log.Info($"Executing step ID: {step.Id}. Working directory: '', Network: 'acb_default_network'");
            try
            {
                await RunStepAsync(work, step, built, ct);
                work.Log.Info($"Successfully executed container: {step.Id}");
            }
            catch (DockerfileException e) when (step.IgnoreErrors)
            {
                work.Log.Info($"Step ID: {step.Id} failed and its errors are ignored: {e.Message}");
            }
        }
    }

    private async Task RunStepAsync(RunWork work, TaskStep step, Dictionary<string, BuiltImage> built,
        CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(step.Timeout), time);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await (step.Kind switch
            {
                "build" => BuildAsync(work, step, built, cancellation.Token),
                "push" => PushAsync(work, step, built, cancellation.Token),
                _ => CommandAsync(work, step, built, cancellation.Token),
            });
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            work.Log.Info($"Step ID: {step.Id} timed out after {step.Timeout} seconds");
            throw new DockerfileException($"failed to run step ID: {step.Id}: the step did not finish within " +
                $"its timeout of {step.Timeout} seconds");
        }
    }

    private static async Task BuildAsync(RunWork work, TaskStep step, Dictionary<string, BuiltImage> built,
        CancellationToken ct)
    {
        var words = Words.Split(step.Command);
        var tags = new List<string>();
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        string? dockerfile = null;
        string? target = null;
        string? context = null;
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            string Next() => i + 1 < words.Count ? words[++i] : throw new DockerfileException($"{word} needs a value");
            switch (word)
            {
                case "-t" or "--tag" or "--image":
                    tags.Add(Next());
                    break;
                case "-f" or "--file":
                    dockerfile = Next();
                    break;
                case "--build-arg":
                    string pair = Next();
                    int equals = pair.IndexOf('=', StringComparison.Ordinal);
                    arguments[equals < 0 ? pair : pair[..equals]] = equals < 0 ? "" : pair[(equals + 1)..];
                    break;
                case "--target":
                    target = Next();
                    break;
                case "--no-cache" or "--pull":
                    break;
                default:
                    context = word.StartsWith('-') || context is not null
                        ? throw new DockerfileException($"build step {step.Id}: '{word}' is not supported")
                        : word;
                    break;
            }
        }

        context ??= ".";
        var image = await work.BuildAsync(dockerfile ?? Path.Combine(context, "Dockerfile"), context, arguments,
            target, ct);
        foreach (string tag in tags)
        {
            var (repository, name) = work.SplitImage(tag);
            built[$"{repository}:{name}"] = image;
        }
    }

    private static async Task PushAsync(RunWork work, TaskStep step, Dictionary<string, BuiltImage> built,
        CancellationToken ct)
    {
        foreach (string name in step.Images)
        {
            var (repository, tag) = work.SplitImage(name);
            if (!built.TryGetValue($"{repository}:{tag}", out var image))
            {
                throw new DockerfileException($"push step {step.Id}: '{name}' was not built by this run");
            }

            await work.PushAsync(name, image, ct);
        }
    }

    private async Task CommandAsync(RunWork work, TaskStep step, Dictionary<string, BuiltImage> built,
        CancellationToken ct)
    {
        if (!BuildahRun.IsInstalled())
        {
            throw new DockerfileException($"cmd step {step.Id} needs buildah, which is not installed");
        }

        var words = Words.Split(step.Command);
        var (repository, tag) = work.SplitImage(words[0]);
        var image = built.TryGetValue($"{repository}:{tag}", out var local)
            ? local.Image
            : await bases.LoadAsync(work.Registry, work.OwnHosts, $"{repository}:{tag}", ct);
        var entrypoint = (image.Config["Entrypoint"] as System.Text.Json.Nodes.JsonArray ?? [])
            .Select(e => e!.GetValue<string>());
        var arguments = words.Count > 1
            ? words.Skip(1)
            : (image.Config["Cmd"] as System.Text.Json.Nodes.JsonArray ?? []).Select(c => c!.GetValue<string>());
        string[] command = [.. entrypoint, .. arguments];
        if (command.Length == 0)
        {
            throw new DockerfileException($"cmd step {step.Id}: the image has no command and none was given");
        }

        var environment = image.Environment();
        foreach (string entry in step.Environment)
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            environment[equals < 0 ? entry : entry[..equals]] = equals < 0 ? "" : entry[(equals + 1)..];
        }

        await new BuildahRun(work.WorkDirectory, work.Log.Line).RunAsync(image, bases, command, environment,
            staging: null, ct);
    }
}
