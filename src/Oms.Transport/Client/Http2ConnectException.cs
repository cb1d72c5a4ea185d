namespace Oms.Transport.Client;

/// <summary>A connection could not be established: DNS, TCP, TLS (certificate, host name, ALPN) or the HTTP/2 preface.</summary>
public sealed class Http2ConnectException : Exception
{
    /// <summary>Creates the exception.</summary>
    public Http2ConnectException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public Http2ConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty exception.</summary>
    public Http2ConnectException()
    {
    }

    /// <summary>True when the failure is about trust (certificate chain or host name), which retrying cannot fix.</summary>
    public bool IsTrustFailure { get; init; }
}
