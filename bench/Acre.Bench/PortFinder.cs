using System.Net;
using System.Net.Sockets;

namespace Acre.Bench;

/// <summary>Free TCP ports on 127.0.0.1, found by letting the kernel pick and releasing them at once.</summary>
public static class PortFinder
{
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
