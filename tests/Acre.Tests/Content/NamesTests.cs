using Acre.Content;

namespace Acre.Tests.Content;

public sealed class NamesTests
{
    [Theory]
    [InlineData("app")]
    [InlineData("team/app/api")]
    [InlineData("a.b_c__d--e")]
    public void IsValidRepository_AcceptsSpecNames(string name) => Assert.True(Names.IsValidRepository(name));

    [Theory]
    [InlineData("")]
    [InlineData("App")]
    [InlineData("team//app")]
    [InlineData("-app")]
    [InlineData("app/")]
    [InlineData("a___b")]
    public void IsValidRepository_RefusesOthers(string name) => Assert.False(Names.IsValidRepository(name));

    [Fact]
    public void IsValidTag_FollowsTheSpec()
    {
        Assert.True(Names.IsValidTag("v1.0_rc-1"));
        Assert.True(Names.IsValidTag(new string('a', 128)));
        Assert.False(Names.IsValidTag(new string('a', 129)));
        Assert.False(Names.IsValidTag(".hidden"));
        Assert.False(Names.IsValidTag("a:b"));
    }
}
