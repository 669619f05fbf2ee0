namespace Acre.Bench;

/// <summary>Everything a scenario needs: the options, the report, and the servers under test.</summary>
public sealed record BenchContext(
    BenchOptions Options, Report Report, AcreInstance Acre, Endpoint AcreHttp, Endpoint? AcreHttps,
    Endpoint Distribution, Endpoint? Nginx)
{
    /// <summary>The registries compared side by side, in the order each round visits them.</summary>
    public IReadOnlyList<Endpoint> Registries =>
        AcreHttps is null ? [AcreHttp, Distribution] : [AcreHttp, Distribution, AcreHttps];
}
