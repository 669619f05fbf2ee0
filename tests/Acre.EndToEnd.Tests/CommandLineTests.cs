using System.Text.RegularExpressions;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>The acre command as a user runs it: start, Ctrl-C, start again on the same data directory.</summary>
public sealed partial class CommandLineTests
{
    [RequiresToolsFact("kill")]
    public async Task CtrlC_StopsCleanly_AndRestartKeepsCaAndAdminPassword()
    {
        using var work = new TempDirectory();
        var acre = new AcreProcess(work.Sub("data"), setAdminPassword: false);
        await acre.StartAsync();
        string firstCa = await File.ReadAllTextAsync(acre.CaPath);
        string firstPassword = PasswordIn(acre.Log);

        await Tool.RunAsync("kill", "-INT", acre.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int exitCode = await acre.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await acre.StartAsync();
        await using (acre)
        {
            Assert.Equal(0, exitCode);
            Assert.Equal(firstCa, await File.ReadAllTextAsync(acre.CaPath));
            string secondStart = acre.Log[acre.Log.LastIndexOf("Acre is ready", StringComparison.Ordinal)..];
            Assert.NotEmpty(firstPassword);
            Assert.Equal(firstPassword, PasswordIn(secondStart));
            Assert.Contains("127.0.0.1 local.azurecr.localhost", acre.Log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HostsAndCert_PrintWhatClientsNeed()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));

        string hosts = await acre.RunCommandAsync("hosts");
        string cert = await acre.RunCommandAsync("cert");

        Assert.Equal("127.0.0.1 local.azurecr.localhost\n127.0.0.1 acreuploads.blob.azurecr.localhost",
            hosts.Trim().ReplaceLineEndings("\n"));
        Assert.StartsWith(acre.CaPath + "\n-----BEGIN CERTIFICATE-----", cert, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondAcre_OnTheSameDataDirectory_ExitsAtOnceWithOneLine()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));

        var second = await AcreProcess.TryRunAsync("--data-dir", acre.DataDir, "--port", "0");

        Assert.Equal(1, second.ExitCode);
        Assert.Equal($"The data directory {acre.DataDir} is in use by another Acre process (pid {acre.Pid}). " +
            "Stop it, or give this one another --data-dir (or --in-memory).", second.Output.Trim());
        using var client = acre.Http();
        Assert.True((await client.GetAsync("/v2/")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task PortInUse_ExitsWithOneLineNamingThePortAndItsOption()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        string port = acre.HttpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var second = await AcreProcess.TryRunAsync("--data-dir", work.Sub("other"), "--port", port);

        Assert.Equal(1, second.ExitCode);
        Assert.Equal($"Port {port} is already in use on the loopback address. Stop what uses it, or choose another " +
            "with --port (0 picks a free one).", second.Output.Trim());
    }

    [Fact]
    public async Task BadOptionValues_AreUsageErrorsOfOneLine_FromOptionsAndVariablesAlike()
    {
        using var work = new TempDirectory();

        var option = await AcreProcess.TryRunAsync("--data-dir", work.Sub("data"), "--default-registry", "dflt");
        var variable = await AcreProcess.TryRunWithAsync(
            new Dictionary<string, string> { ["ACRE_PORT"] = "abc" }, "--data-dir", work.Sub("data"));

        Assert.Equal(2, option.ExitCode);
        Assert.Equal("--default-registry 'dflt' is not a registry name: 5 to 50 letters and digits, as in ACR.",
            option.Output.Trim());
        Assert.Equal(2, variable.ExitCode);
        Assert.Equal("ACRE_PORT 'abc' is not a whole number.", variable.Output.Trim());
        Assert.False(Directory.Exists(Path.Combine(work.Sub("data"), "store")));
    }

    [Fact]
    public async Task DebugLog_HoldsNoQueryString()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var acre = new AcreProcess(work.Sub("data"), setAdminPassword: true, "--log-level", "Debug");
        await acre.StartAsync();
        using var client = acre.Http();

        // Act
        using var response = await client.GetAsync("/v2/_catalog?sig=signature-that-must-not-be-logged");
        await Task.Delay(500);

        // Assert
        Assert.Contains("/v2/_catalog", acre.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("signature-that-must-not-be-logged", acre.Log, StringComparison.Ordinal);
    }

    private static string PasswordIn(string log) => AdminPassword().Match(log).Groups[1].Value;

    [GeneratedRegex(@"admin password: (\S+)")]
    private static partial Regex AdminPassword();
}
