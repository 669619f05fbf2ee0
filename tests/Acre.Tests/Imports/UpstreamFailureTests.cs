using System.Net.Sockets;
using Acre.Transfer;

namespace Acre.Tests.Imports;

/// <summary>Failures .NET reports by kind become sentences that name the upstream and what went wrong.</summary>
public sealed class UpstreamFailureTests
{
    [Fact]
    public void Describe_NameNotResolved_NamesTheHost()
    {
        var failure = new HttpRequestException(HttpRequestError.NameResolutionError, "net_http_ssl_x");

        Assert.Equal("the name registry.example could not be resolved",
            UpstreamFailure.Describe(failure, "registry.example:5000"));
    }

    [Fact]
    public void Describe_Timeout_SaysItDidNotAnswer()
    {
        var failure = new TaskCanceledException("x", new TimeoutException());

        Assert.Equal("registry.example did not answer in time", UpstreamFailure.Describe(failure, "registry.example"));
    }

    [Fact]
    public void Describe_NoRoute_SaysItIsUnreachable()
    {
        var failure = new HttpRequestException(HttpRequestError.ConnectionError, "x",
            new SocketException((int)SocketError.HostUnreachable));

        Assert.Equal("10.1.2.3:443 is unreachable: no route to it", UpstreamFailure.Describe(failure, "10.1.2.3:443"));
    }

    [Fact]
    public void Describe_NeverRepeatsTheExceptionText()
    {
        var failure = new HttpRequestException(HttpRequestError.InvalidResponse, "net_http_invalid_response");

        Assert.Equal("upstream:80 answered something that is not HTTP",
            UpstreamFailure.Describe(failure, "upstream:80"));
    }
}
