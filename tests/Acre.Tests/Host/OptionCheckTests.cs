using Acre.Cli;

namespace Acre.Tests.Host;

/// <summary>Bad option values are usage errors of one line naming the option, found before anything starts.</summary>
public sealed class OptionCheckTests
{
    private const string Guid = "ac7e0000-0000-4000-8000-00000000000a";

    [Theory]
    [InlineData("--default-registry dflt",
        "--default-registry 'dflt' is not a registry name: 5 to 50 letters and digits, as in ACR.")]
    [InlineData("--port 70000", "--port '70000' is not a port: use 1 to 65535, or 0 to pick a free one.")]
    [InlineData("--http-port -1", "--http-port '-1' is not a port: use 1 to 65535, or 0 to pick a free one.")]
    [InlineData("--port 9000 --http-port 9000",
        "--http-port 9000 is the HTTPS port (--port) too: give them different ports.")]
    [InlineData("--login-server-suffix under_score.test",
        "--login-server-suffix 'under_score.test' is not a domain name: dot-separated labels of letters, digits " +
        "and hyphens.")]
    [InlineData("--log-level verbose",
        "--log-level 'verbose' is not a log level: use Trace, Debug, Information, Warning, Error, Critical, None.")]
    [InlineData("--gc-interval 0", "--gc-interval '0' is not an interval: use 1 to 4294967 seconds.")]
    [InlineData("--gc-interval 4294968", "--gc-interval '4294968' is not an interval: use 1 to 4294967 seconds.")]
    [InlineData("--gc-grace -5", "--gc-grace '-5' is not a grace period: use 0 or more seconds.")]
    [InlineData("--concurrent-runs 0", "--concurrent-runs '0' is not a number of runs: use 1 or more.")]
    [InlineData("--subscription-id sub1",
        "--subscription-id 'sub1' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).")]
    [InlineData("--host https://management.test",
        "--host 'https://management.test' is not a host name: give the name alone, with no scheme, port or path.")]
    [InlineData("--upstream-ca /no/such/ca.pem", "--upstream-ca '/no/such/ca.pem' does not exist.")]
    [InlineData("--secret https://vault.vault.azure.net/keys/k=hunter2",
        "--secret 'https://vault.vault.azure.net/keys/k' is not URI=VALUE with a Key Vault secret URI " +
        "(https://VAULT.vault.azure.net/secrets/NAME).")]
    public void Parse_BadValue_IsOneErrorNamingTheOption(string arguments, string expected)
    {
        var result = AcreCommand.Create().Parse(arguments.Split(' '));

        Assert.Equal(expected, Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Parse_GoodValues_AreAccepted()
    {
        string arguments = $"--port 0 --http-port 8080 --default-registry MyRegistry1 --login-server-suffix " +
            $"registry.example.test --host management.azure.test --gc-interval 1 --gc-grace 0 --tenant-id {Guid} " +
            "--secret https://vault.vault.azure.net/secrets/hub-user=a=b --log-level debug";

        var result = AcreCommand.Create().Parse(arguments.Split(' '));

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Parse_UpstreamCaWithoutCertificates_IsRefused()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "not a certificate\n");

            var result = AcreCommand.Create().Parse(["--upstream-ca", file]);

            Assert.Equal($"--upstream-ca '{file}' holds no PEM certificate.", Assert.Single(result.Errors).Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Help_ShowsNoSecretFromTheEnvironment_WhichStillTakesEffect()
    {
        // Arrange
        var variables = new Dictionary<string, string>
        {
            ["ACRE_ADMIN_PASSWORD"] = "env-admin-secret",
            ["ACRE_CLIENT_SECRET"] = "env-client-secret",
            ["ACRE_USER_PASSWORD"] = "env-user-secret",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            // Act
            var output = new StringWriter();
            var help = AcreCommand.Create().Parse(["--help"]);
            help.InvocationConfiguration.Output = output;
            help.Invoke();
            var options = AcreCommand.Read(AcreCommand.Create().Parse([]));
            var given = AcreCommand.Read(AcreCommand.Create().Parse(["--client-secret", "given-secret"]));

            // Assert
            Assert.DoesNotContain("env-", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("--admin-password", output.ToString(), StringComparison.Ordinal);
            Assert.Equal("env-admin-secret", options.AdminPassword);
            Assert.Equal("env-client-secret", options.Identity.ClientSecret);
            Assert.Equal("env-user-secret", options.Identity.UserPassword);
            Assert.Equal("given-secret", given.Identity.ClientSecret);
        }
        finally
        {
            foreach (string name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void Parse_SecretValue_IsNeverShown()
    {
        var result = AcreCommand.Create().Parse(["--secret", "not-a-uri=hunter2"]);

        Assert.DoesNotContain("hunter2", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }
}
