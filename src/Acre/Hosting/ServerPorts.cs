namespace Acre.Hosting;

/// <summary>The ports Kestrel bound, known once the server has started; what advertises addresses reads them.</summary>
public sealed class ServerPorts
{
    public int Https { get; set; }

    public int? Http { get; set; }
}
