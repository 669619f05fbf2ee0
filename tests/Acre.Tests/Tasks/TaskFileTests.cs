using Acre.Tasks.Dockerfiles;
using Acre.Tasks.Steps;

namespace Acre.Tests.Tasks;

public sealed class TaskFileTests
{
    private static readonly Dictionary<string, string> Run = new()
    {
        ["ID"] = "ca7",
        ["Registry"] = "reg.azurecr.localhost:8443",
        ["RegistryName"] = "reg",
        ["Date"] = "20260101-000000z",
        ["OS"] = "linux",
        ["Architecture"] = "amd64",
    };

    [Fact]
    public void Parse_ReadsBuildPushAndCmdSteps_AfterSubstitution()
    {
        string yaml = TaskFile.Substitute("""
            version: v1.1.0
            steps:
              - id: build-it
                build: -t $Registry/app:$ID -t {{.Run.Registry}}/app:{{.Values.channel}} .
              - push:
                  - $Registry/app:$ID
              - cmd: $RegistryName/app:$ID --flag
                env: ["A=1"]
                ignoreErrors: true
            """, Run, new Dictionary<string, string> { ["channel"] = "beta" });

        var steps = TaskFile.Parse(yaml);

        Assert.Equal(["build-it", "acb_step_1", "acb_step_2"], steps.Select(s => s.Id));
        Assert.Equal("-t reg.azurecr.localhost:8443/app:ca7 -t reg.azurecr.localhost:8443/app:beta .",
            steps[0].Command);
        Assert.Equal(["reg.azurecr.localhost:8443/app:ca7"], steps[1].Images);
        Assert.Equal("reg/app:ca7 --flag", steps[2].Command);
        Assert.Equal(["A=1"], steps[2].Environment);
        Assert.True(steps[2].IgnoreErrors);
    }

    [Theory]
    [InlineData("steps: []\n", "no steps")]
    [InlineData("steps:\n  - build: .\n    push: [x]\n", "exactly one")]
    [InlineData("steps:\n  - cmd: x\n    ports: [\"80\"]\n", "'ports'")]
    [InlineData("secrets: []\nsteps:\n  - cmd: x\n", "'secrets'")]
    public void Parse_RefusesWhatItCannotRun(string yaml, string expected)
    {
        var error = Assert.Throws<DockerfileException>(() => TaskFile.Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GivesEachStepItsTimeout_TheFilesStepTimeout_OrTenMinutes()
    {
        var defaults = TaskFile.Parse("steps:\n  - cmd: a\n");
        var steps = TaskFile.Parse("stepTimeout: 120\nsteps:\n  - cmd: a\n  - cmd: b\n    timeout: 30\n" +
            "  - cmd: c\n    timeout: 0\n");

        Assert.Equal(600, defaults[0].Timeout);
        Assert.Equal([120, 30, 120], steps.Select(s => s.Timeout));
    }

    [Theory]
    [InlineData("stepTimeout: soon\nsteps:\n  - cmd: a\n", "stepTimeout")]
    [InlineData("steps:\n  - cmd: a\n    timeout: 1.5\n", "timeout")]
    public void Parse_RefusesATimeoutThatIsNotWholeSeconds(string yaml, string expected)
    {
        var error = Assert.Throws<DockerfileException>(() => TaskFile.Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitute_NamesAValueThatWasNotSet()
    {
        var error = Assert.Throws<DockerfileException>(() =>
            TaskFile.Substitute("{{.Values.missing}}", Run, new Dictionary<string, string>()));

        Assert.Contains("{{.Values.missing}}", error.Message, StringComparison.Ordinal);
    }
}
