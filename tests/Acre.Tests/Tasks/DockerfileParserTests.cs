using Acre.Tasks.Dockerfiles;

namespace Acre.Tests.Tasks;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Parse_JoinsContinuationsAndSkipsComments()
    {
        var instructions = DockerfileParser.Parse("""
            # a comment
            FROM scratch AS base

            ENV A=1 \
                B=2
            copy --from=base ["a b", "/dest/"]
            CMD echo hi
            """);

        Assert.Equal(["FROM", "ENV", "COPY", "CMD"], instructions.Select(i => i.Keyword));
        Assert.Equal("A=1     B=2", instructions[1].Text);
        Assert.Equal(4, instructions[1].Line);
        Assert.Equal("base", instructions[2].Flags["from"]);
        Assert.Equal(["a b", "/dest/"], instructions[2].Json!);
        Assert.Null(instructions[3].Json);
        Assert.Equal("CMD echo hi", instructions[3].Original);
    }

    [Fact]
    public void Expand_ReplacesVariablesWithDefaultsAndEscapes()
    {
        var variables = new Dictionary<string, string> { ["NAME"] = "app", ["EMPTY"] = "" };

        string expanded = Words.Expand(@"/$NAME/${NAME}/${EMPTY:-fallback}/${NAME:+set}/${MISSING}/\$NAME", variables);

        Assert.Equal("/app/app/fallback/set//$NAME", expanded);
    }

    [Fact]
    public void Pairs_ReadsQuotedValuesAndTheLegacyEnvForm()
    {
        var pairs = Words.Pairs("a=1 b=\"two words\" c='x y'", legacyForm: true);
        var legacy = Words.Pairs("GREETING hello   world", legacyForm: true);

        Assert.Equal([new("a", "1"), new("b", "two words"), new("c", "x y")], pairs);
        Assert.Equal([new KeyValuePair<string, string>("GREETING", "hello world")], legacy);
    }

    [Fact]
    public void Pairs_RefusesAWordWithoutEquals_InLabels()
    {
        Assert.Throws<DockerfileException>(() => Words.Pairs("novalue", legacyForm: false));
    }
}
