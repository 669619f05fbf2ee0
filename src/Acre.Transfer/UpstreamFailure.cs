using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Acre.Transfer;

/// <summary>
/// Why an upstream registry could not be reached, in plain words built from what .NET reports (the request error,
/// the socket error, the certificate check) rather than from exception texts, which name resource keys in a build
/// that strips them and say little of what to do in any build.
/// </summary>
public static class UpstreamFailure
{
    /// <summary>The failure of a request to <paramref name="server"/> (<c>host:port</c>) that got no answer.</summary>
    /// <param name="certificateProblem">Why its certificate was refused, when it was.</param>
    public static UpstreamException Of(Exception failure, string server, string? certificateProblem = null) =>
        new(0, Describe(failure, server, certificateProblem));

    public static string Describe(Exception failure, string server, string? certificateProblem = null) =>
        failure switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } =>
                $"the name {HostOf(server)} could not be resolved",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => Connection(failure, server),
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } =>
                $"the TLS handshake with {server} failed: " +
                    (certificateProblem ?? "does it serve HTTPS on that port?"),
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } =>
                $"{server} answered something that is not HTTP",
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } =>
                $"{server} closed the connection without an answer",
            HttpIOException => $"the connection to {server} broke off while it was sending content",
            OperationCanceledException => $"{server} did not answer in time",
            HttpRequestException e => $"{server} could not be reached ({e.HttpRequestError})",
            _ => $"{server} could not be reached",
        };

    /// <summary>What was wrong with a certificate that the TLS check refused, and what to do about it.</summary>
    public static string CertificateProblem(SslPolicyErrors errors, X509Chain? chain)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "it sent no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return "its certificate is for another name";
        }

        var status = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ??
            X509ChainStatusFlags.NoError;
        return status.HasFlag(X509ChainStatusFlags.NotTimeValid)
            ? "its certificate has expired or is not valid yet"
            : "its certificate is not trusted (add its CA with --upstream-ca)";
    }

    private static string Connection(Exception failure, string server)
    {
        var socket = failure.InnerException as SocketException ??
            failure.InnerException?.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"{server} refused the connection: nothing listens on that port",
            SocketError.TimedOut => $"connecting to {server} timed out",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable => $"{server} is unreachable: no route to it",
            SocketError.ConnectionReset or SocketError.ConnectionAborted => $"{server} reset the connection",
            { } other => $"could not connect to {server} ({other})",
            null => $"could not connect to {server}",
        };
    }

    private static string HostOf(string server)
    {
        int colon = server.LastIndexOf(':');
        return colon > 0 && !server.EndsWith(']') ? server[..colon] : server;
    }
}
