using Acre.Tasks.Dockerfiles;

namespace Acre.Tasks.Building;

/// <summary>
/// RUN through buildah: a scratch container (vfs storage in the build's work directory) whose root is the
/// stage's file system, the command run in it with chroot isolation, and the changes it made as one layer.
/// </summary>
internal sealed class BuildahRun(string workDirectory, Action<string> log)
{
    /// <summary>
    /// Mount points buildah makes in every container (empty folders, and empty files it binds the host's over),
    /// which are not the command's doing; docker build leaves them out of the layer too.
    /// </summary>
    private static readonly string[] MountPoints =
        ["dev", "proc", "sys", "run", "etc", "etc/hostname", "etc/hosts", "etc/resolv.conf"];

    public static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "buildah")));

    /// <summary>Runs the command; with a <paramref name="staging"/> directory, lays out its changes there.</summary>
    public async Task RunAsync(ImageState image, BaseImages bases, IReadOnlyList<string> command,
        IReadOnlyDictionary<string, string> environment, string? staging, CancellationToken ct)
    {
        string container = "acre-" + Guid.NewGuid().ToString("N")[..12];
        await BuildahAsync(ct, "from", "--name", container, "scratch");
        try
        {
            string root = (await BuildahAsync(ct, "mount", container)).Trim();
            await bases.ExtractAsync(image, root, ct);
            var before = FileTree.Snapshot(root);

            var config = image.Config;
            List<string> run = ["run", "--isolation", "chroot"];
            foreach (var (name, value) in environment)
            {
                run.AddRange(["--env", $"{name}={value}"]);
            }

            if (config["WorkingDir"]?.GetValue<string>() is { Length: > 0 } workingDir)
            {
                run.AddRange(["--workingdir", workingDir]);
            }

            if (config["User"]?.GetValue<string>() is { Length: > 0 } user)
            {
                run.AddRange(["--user", user]);
            }

            var (exit, _) = await RunProcessAsync([.. run, container, "--", .. command], streamOutput: true, ct);
            if (exit != 0)
            {
                throw new DockerfileException(
                    $"the command '{string.Join(' ', command)}' returned a non-zero code: {exit}");
            }

            if (staging is not null)
            {
                FileTree.CopyChanges(root, before, staging, MountPoints);
            }
        }
        finally
        {
            await RunProcessAsync(["rm", container], streamOutput: false, CancellationToken.None);
        }
    }

    private async Task<string> BuildahAsync(CancellationToken ct, params string[] arguments)
    {
        var (exit, output) = await RunProcessAsync(arguments, streamOutput: false, ct);
        return exit == 0
            ? output
            : throw new DockerfileException($"buildah {arguments[0]} failed ({exit}): {output.Trim()}");
    }

    private async Task<(int Exit, string Output)> RunProcessAsync(string[] arguments, bool streamOutput,
        CancellationToken ct)
    {
        string storage = Path.Combine(workDirectory, "buildah");
        string[] global = ["--root", Path.Combine(storage, "root"), "--runroot", Path.Combine(storage, "run"),
            "--storage-driver", "vfs"];
        try
        {
            return await ChildProcess.RunAsync("buildah", [.. global, .. arguments], streamOutput ? log : null, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new DockerfileException($"buildah could not be started: {e.Message}");
        }
    }
}
