using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// The Azure CLI pointed at Acre: its own config folder, a cloud named Acre whose endpoints are all Acre's HTTPS
/// port, and Acre's CA as its only trust. Once <see cref="MapHosts"/> is called, every command runs in a private
/// mount namespace whose /etc/hosts maps the given registries' login servers to loopback.
/// </summary>
public sealed class AzureCli
{
    public const string CloudName = "Acre";

    /// <summary>A loopback port nothing listens on: a proxy that refuses whatever is not meant for loopback.</summary>
    private const string RefusingProxy = "http://127.0.0.1:9";

    private readonly string _folder;
    private string? _hostsFile;

    private AzureCli(AcreProcess acre, string folder)
    {
        _folder = folder;
        Environment = new Dictionary<string, string>
        {
            ["AZURE_CONFIG_DIR"] = Path.Combine(folder, "config"),
            ["AZURE_CORE_COLLECT_TELEMETRY"] = "false",
            ["REQUESTS_CA_BUNDLE"] = acre.CaPath,
        };

        // A second guard beside the checks in RegisterCloudAsync: a request to any host but loopback goes to a
        // closed loopback port, never to the network. Python's requests (az, MSAL) and Go (podman, skopeo) honour
        // these variables, and both read "localhost" in NO_PROXY as covering *.azurecr.localhost too.
        foreach (string name in new[] { "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy" })
        {
            Environment[name] = RefusingProxy;
        }

        Environment["NO_PROXY"] = Environment["no_proxy"] = "localhost,127.0.0.1";
    }

    /// <summary>The environment of every command; a test adds to it (a docker stand-in on PATH, say).</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>
    /// Registers the Acre cloud and makes it the active one. Each step must succeed and the saved cloud must name
    /// Acre's port: otherwise az would stay on Azure's public cloud and a login would leave the machine.
    /// </summary>
    public static async Task<AzureCli> RegisterCloudAsync(AcreProcess acre, TempDirectory work)
    {
        var cli = new AzureCli(acre, work.Sub("az"));

        await cli.RunAsync("cloud", "register", "-n", CloudName, "--endpoint-resource-manager", acre.ResourceManager,
            "--suffix-acr-login-server-endpoint", ".azurecr.localhost",
            "--suffix-storage-endpoint", "azurecr.localhost", "--suffix-keyvault-dns", ".vault.azure.net");
        await cli.RunAsync("cloud", "set", "-n", CloudName);

        string configDir = cli.Environment["AZURE_CONFIG_DIR"];
        string active = await File.ReadAllTextAsync(Path.Combine(configDir, "config"));
        string clouds = await File.ReadAllTextAsync(Path.Combine(configDir, "clouds.config"));
        Assert.Contains($"name = {CloudName}", active, StringComparison.Ordinal);
        Assert.Contains($"endpoint_active_directory = {acre.ResourceManager}adfs", clouds, StringComparison.Ordinal);
        return cli;
    }

    /// <summary>Registers the cloud and logs in as Acre's well-known service principal.</summary>
    public static async Task<AzureCli> RegisterAndLoginAsync(AcreProcess acre, TempDirectory work)
    {
        var cli = await RegisterCloudAsync(acre, work);
        await cli.LoginAsync();
        return cli;
    }

    /// <summary><c>az login --service-principal</c>; returns the subscriptions az printed.</summary>
    public Task<JsonNode> LoginAsync() => JsonAsync(LoginArguments(AcreProcess.ClientSecret));

    public Task<ToolResult> TryLoginAsync(string clientSecret) =>
        TryRunAsync([.. LoginArguments(clientSecret), "--only-show-errors", "-o", "json"]);

    /// <summary>
    /// From now on every command runs where the registries' login servers, and the blob host of ACR Tasks,
    /// resolve to loopback.
    /// </summary>
    public void MapHosts(params string[] registries)
    {
        _hostsFile = Path.Combine(_folder, "hosts");
        string lines = string.Concat(registries.Append("acreuploads.blob")
            .Select(r => $"127.0.0.1 {r}.azurecr.localhost\n"));
        File.WriteAllText(_hostsFile, "127.0.0.1 localhost\n" + lines);
    }

    /// <summary>Runs az for JSON, without warnings (they would land in the same output), and parses it.</summary>
    public async Task<JsonNode> JsonAsync(params string[] arguments)
    {
        string output = await RunAsync([.. arguments, "--only-show-errors", "-o", "json"]);
        return JsonNode.Parse(output)!;
    }

    /// <summary>Runs az; fails the test when it exits non-zero.</summary>
    public Task<string> RunAsync(params string[] arguments) => RunToolAsync("az", arguments);

    public Task<ToolResult> TryRunAsync(params string[] arguments) => TryRunToolAsync("az", arguments);

    /// <summary>Runs another client (skopeo, the docker stand-in) with az's environment and host names.</summary>
    public Task<string> RunToolAsync(string file, params string[] arguments)
    {
        var (command, all) = Command(file, arguments);
        return Tool.RunWithAsync(Environment, command, all);
    }

    /// <summary>Like <see cref="RunToolAsync"/>, for a command that is expected to fail.</summary>
    public Task<ToolResult> TryRunToolAsync(string file, params string[] arguments)
    {
        var (command, all) = Command(file, arguments);
        return Tool.TryRunWithAsync(Environment, command, all);
    }

    private static string[] LoginArguments(string clientSecret) =>
        ["login", "--service-principal", "-u", AcreProcess.ClientId, "-p", clientSecret,
            "--tenant", AcreProcess.TenantId];

    private (string File, string[] Arguments) Command(string file, string[] arguments)
    {
        if (_hostsFile is null)
        {
            return (file, arguments);
        }

        string script = "mount --bind \"$0\" /etc/hosts && exec \"$@\"";
        return ("unshare", ["--mount", "--", "sh", "-c", script, _hostsFile, file, .. arguments]);
    }
}
