using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// Debian's <c>docker-registry</c> (CNCF Distribution 2.8) as an upstream registry: plain HTTP on a free loopback
/// port, filesystem storage in a folder of its own, and basic auth for one user from a bcrypt htpasswd file.
/// </summary>
public sealed class DistributionRegistry : IAsyncDisposable
{
    public const string UserName = "upstream-user";
    public const string Password = "upstream-password";

    private readonly StringBuilder _log = new();
    private Process? _process;

    private DistributionRegistry(int port) => Port = port;

    public int Port { get; }

    /// <summary>The registry's host and port, as image references and cache rules name it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary><c>USER:PASSWORD</c>, the form skopeo's <c>--dest-creds</c> takes.</summary>
    public static string Credentials => $"{UserName}:{Password}";

    /// <summary>What the registry printed, its access log included.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the registry on state under <paramref name="directory"/> and waits until it answers.</summary>
    public static async Task<DistributionRegistry> StartAsync(string directory)
    {
        string htpasswd = Path.Combine(directory, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, await Tool.RunAsync("htpasswd", "-Bbn", UserName, Password));

        // A port picked free can be taken before the registry binds it: then start again on another.
        for (int attempt = 1; ; attempt++)
        {
            var registry = new DistributionRegistry(FreeLoopbackPort());
            string config = Path.Combine(directory, "config.yml");
            await File.WriteAllTextAsync(config, registry.Config(Path.Combine(directory, "storage"), htpasswd));
            if (await registry.TryStartAsync(config))
            {
                return registry;
            }

            await registry.DisposeAsync();
            Assert.True(attempt < 3, $"docker-registry did not start:\n{registry.Log}");
        }
    }

    /// <summary>Ends the registry process (the one this object started, by its pid) and waits for it to go.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }

    private string Config(string storage, string htpasswd) => $"""
        version: 0.1
        log:
          level: info
        storage:
          filesystem:
            rootdirectory: '{storage}'
          delete:
            enabled: true
        http:
          addr: '{Address}'
          secret: acre-e2e-upstream
        auth:
          htpasswd:
            realm: acre-e2e-upstream
            path: '{htpasswd}'
        """;

    private async Task<bool> TryStartAsync(string config)
    {
        var start = new ProcessStartInfo("docker-registry")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Ready once /v2/ answers with its basic-auth challenge.
        using var http = new HttpClient(new HttpClientHandler { UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync($"http://{Address}/v2/");
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 1_000_000)
            {
                _log.AppendLine(line);
            }
        }
    }
}
