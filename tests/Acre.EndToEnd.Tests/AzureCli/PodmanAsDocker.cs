using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// The <c>docker</c> that <c>az acr login</c> runs (<c>docker ps</c>, then <c>docker login</c>), with no Docker
/// daemon: a script first on az's PATH that runs podman with the test's own storage and credentials, and trusts
/// Acre's CA on the commands that reach a registry.
/// </summary>
public sealed class PodmanAsDocker
{
    private PodmanAsDocker(string authFile) => AuthFile = authFile;

    /// <summary>Where <c>docker login</c> keeps the credentials (podman's auth.json).</summary>
    public string AuthFile { get; }

    public static PodmanAsDocker Install(AzureCli cli, TempDirectory work, string certDir)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("podman stands in for docker on Linux only");
        }

        string storage = work.Sub("podman");
        string bin = work.Sub("docker-bin");
        string conf = Path.Combine(storage, "storage.conf");
        File.WriteAllText(conf, $"""
            [storage]
            driver = "vfs"
            runroot = "{storage}/run"
            graphroot = "{storage}/graph"
            """);

        // Acre's CA is not in the machine's certs.d, so the commands that reach a registry get it by --cert-dir.
        string script = Path.Combine(bin, "docker");
        File.WriteAllText(script, $"""
            #!/bin/sh
            podman="podman --events-backend=file --cgroup-manager=cgroupfs"
            case "$1" in
                login|push|pull) command=$1; shift; exec $podman "$command" --cert-dir '{certDir}' "$@" ;;
                *) exec $podman "$@" ;;
            esac

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var docker = new PodmanAsDocker(Path.Combine(storage, "auth.json"));
        cli.Environment["PATH"] = bin + ":" + System.Environment.GetEnvironmentVariable("PATH");
        cli.Environment["CONTAINERS_STORAGE_CONF"] = conf;
        cli.Environment["REGISTRY_AUTH_FILE"] = docker.AuthFile;
        cli.Environment["XDG_RUNTIME_DIR"] = storage;
        cli.Environment["TMPDIR"] = storage;
        return docker;
    }
}
