using System.Net;
using System.Net.Sockets;
using Acre.Cli;
using Microsoft.AspNetCore.Connections;

namespace Acre.Hosting;

/// <summary>Turns Kestrel's failure to bind into one line that names the port and the option that sets it.</summary>
public static class ListenFailure
{
    /// <summary>The addresses Acre listens on: both loopbacks for a fixed port; a picked port (0) on IPv4 only, so
    /// that there is one port to print.</summary>
    public static IPAddress[] LoopbackAddresses(int port) =>
        port == 0 || !Socket.OSSupportsIPv6 ? [IPAddress.Loopback] : [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>The message for a failed bind, or null when <paramref name="failure"/> is no bind failure.</summary>
    public static StartupException? Explain(Exception failure, AcreOptions options)
    {
        var socketError = SocketErrorOf(failure);
        if (socketError is null && !Chain(failure).Any(e => e is AddressInUseException))
        {
            return null;
        }

        // Kestrel releases what it had bound when one address fails, so the busy port can be found by trying each.
        var (option, port) = FindUnbindable(options) ?? ("--port", options.Port);
        string what = socketError is SocketError.AccessDenied
            ? $"Acre may not listen on port {port}: permission denied (ports below 1024 need privileges)."
            : $"Port {port} is already in use on the loopback address.";
        return new StartupException($"{what} Stop what uses it, or choose another with {option} (0 picks a free one).");
    }

    private static (string Option, int Port)? FindUnbindable(AcreOptions options)
    {
        if (options.Port != 0 && LoopbackAddresses(options.Port).Any(a => !CanBind(a, options.Port)))
        {
            return ("--port", options.Port);
        }

        return options.HttpPort is { } http and not 0 && !CanBind(IPAddress.Loopback, http)
            ? ("--http-port", http)
            : null;
    }

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static SocketError? SocketErrorOf(Exception failure) => Chain(failure).OfType<SocketException>()
        .Select(e => (SocketError?)e.SocketErrorCode)
        .FirstOrDefault(code => code is SocketError.AddressAlreadyInUse or SocketError.AccessDenied);

    private static IEnumerable<Exception> Chain(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
