using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// The real <c>acre</c> binary in its own process, on picked ports, with a data directory that outlives the
/// process so that a test can kill it and start it again on the same state.
/// </summary>
public sealed class AcreProcess : IAsyncDisposable
{
    public const string AdminPassword = "e2e-admin-password";

    private readonly StringBuilder _log = new();
    private readonly bool _setAdminPassword;
    private readonly string[] _extraArguments;
    private Process? _process;
    private int _starts;

    public AcreProcess(string dataDir, bool setAdminPassword = true, params string[] extraArguments)
    {
        DataDir = dataDir;
        _setAdminPassword = setAdminPassword;
        _extraArguments = extraArguments;
    }

    /// <summary>The well-known ids and secrets of the built-in Entra ID (Acre's defaults).</summary>
    public const string TenantId = "ac7e0000-0000-4000-8000-000000000001";
    public const string SubscriptionId = "ac7e0000-0000-4000-8000-000000000002";
    public const string ClientId = "ac7e0000-0000-4000-8000-000000000003";
    public const string ClientSecret = "acre-client-secret";

    /// <summary>The management plane's root, as clients register it: <c>https://localhost:PORT/</c>.</summary>
    public string ResourceManager => $"https://localhost:{HttpsPort}/";

    /// <summary>The login server of a registry, as ARM answers it.</summary>
    public string LoginServer(string registry) => $"{registry}.azurecr.localhost:{HttpsPort}";

    public string DataDir { get; }

    public int HttpsPort { get; private set; }

    public int HttpPort { get; private set; }

    public int Pid => _process?.Id ?? 0;

    public string Registry => "local";

    public string CaPath => Path.Combine(DataDir, "certs", "ca.crt");

    /// <summary>A folder holding only <c>ca.crt</c>, the form skopeo's and podman's <c>--cert-dir</c> take.</summary>
    public string CertDir
    {
        get
        {
            string directory = Path.Combine(DataDir, "client-certs");
            Directory.CreateDirectory(directory);
            File.Copy(CaPath, Path.Combine(directory, "ca.crt"), overwrite: true);
            return directory;
        }
    }

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

    public static async Task<AcreProcess> StartAsync(string dataDir)
    {
        var acre = new AcreProcess(dataDir);
        await acre.StartAsync();
        return acre;
    }

    public async Task StartAsync()
    {
        string portsFile = Path.Combine(DataDir, "acre.json");
        File.Delete(portsFile);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = [AcreDll(), "--data-dir", DataDir, "--port", "0", "--http-port", "0", .. _extraArguments];
        foreach (string argument in _setAdminPassword ? [.. arguments, "--admin-password", AdminPassword] : arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortsAsync(portsFile);
        await WaitForBannerAsync(++_starts);
    }

    /// <summary>
    /// Waits until this start's banner has been printed to its end: the ports file comes first, and a test reading
    /// the banner (the admin password, say) must not read it half-written.
    /// </summary>
    private async Task WaitForBannerAsync(int starts)
    {
        const string lastLine = "az login --service-principal";
        for (int attempt = 0; attempt < 500; attempt++)
        {
            string log = Log;
            int printed = 0;
            for (int at = log.IndexOf(lastLine, StringComparison.Ordinal); at >= 0;
                at = log.IndexOf(lastLine, at + 1, StringComparison.Ordinal))
            {
                printed++;
            }

            if (printed >= starts)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Acre printed no complete banner:\n{Log}");
    }

    /// <summary>Ends the process the hard way: no shutdown, no flush, as a crash or an OOM kill would.</summary>
    public async Task KillHardAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Peak and current resident memory of the process, in bytes, from /proc.</summary>
    public (long Peak, long Current) Memory()
    {
        string status = File.ReadAllText($"/proc/{Pid}/status");
        return (Kilobytes(status, "VmHWM:") * 1024, Kilobytes(status, "VmRSS:") * 1024);
    }

    public HttpClient Http()
    {
        var client = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"),
            Timeout = TimeSpan.FromMinutes(10),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Registry}:{AdminPassword}")));
        return client;
    }

    /// <summary>A client that trusts Acre's CA only, over HTTPS at localhost.</summary>
    public HttpClient Https()
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(CaPath);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // Acre's CA publishes no CRL.
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{HttpsPort}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Registry}:{AdminPassword}")));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task WaitForPortsAsync(string portsFile)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"acre exited with {_process.ExitCode}:\n{Log}");
            }

            if (File.Exists(portsFile))
            {
                using var document = JsonDocument.Parse(await File.ReadAllTextAsync(portsFile));
                var root = document.RootElement;
                if (root.GetProperty("pid").GetInt32() == _process.Id)
                {
                    HttpsPort = root.GetProperty("httpsPort").GetInt32();
                    HttpPort = root.GetProperty("httpPort").GetInt32();
                    return;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"acre did not start in 60 s:\n{Log}");
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

    private static long Kilobytes(string status, string field)
    {
        string line = status.Split('\n').First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
    }

    /// <summary>Runs another acre command (<c>hosts</c>, <c>cert</c>) on this data directory.</summary>
    public Task<string> RunCommandAsync(string command) =>
        Tool.RunAsync("dotnet", AcreDll(), command, "--data-dir", DataDir);

    /// <summary>Runs the acre binary with these arguments to its end; its exit code and what it printed.</summary>
    public static Task<ToolResult> TryRunAsync(params string[] arguments) => TryRunWithAsync(null, arguments);

    /// <summary>Runs the acre binary with extra environment variables to its end.</summary>
    public static Task<ToolResult> TryRunWithAsync(
        IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        Tool.TryRunWithAsync(environment, "dotnet", [AcreDll(), .. arguments]);

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process!.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>The acre binary built beside these tests, in the same configuration.</summary>
    private static string AcreDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        string framework = output.Name;
        string configuration = output.Parent!.Name;
        string root = Path.GetFullPath(Path.Combine(output.FullName, "..", "..", "..", "..", ".."));
        string dll = Path.Combine(root, "src", "Acre", "bin", configuration, framework, "acre.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/Acre first", dll);
    }
}
