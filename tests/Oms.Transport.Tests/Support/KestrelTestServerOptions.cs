namespace Oms.Transport.Tests.Support;

/// <summary>How to start a <see cref="KestrelTestServer"/>.</summary>
internal sealed class KestrelTestServerOptions
{
    /// <summary>TLS with ALPN h2 and a generated loopback certificate, instead of h2c.</summary>
    public bool UseTls { get; init; }

    /// <summary>Kestrel's SETTINGS_HEADER_TABLE_SIZE; null keeps Kestrel's default (4096).</summary>
    public int? HeaderTableSize { get; init; }

    /// <summary>Serve HTTP/1.1 only (with TLS: ALPN offers no h2), to see a client that insists on HTTP/2 give up.</summary>
    public bool Http1Only { get; init; }

    /// <summary>Kestrel's SETTINGS_MAX_CONCURRENT_STREAMS.</summary>
    public int MaxStreamsPerConnection { get; init; } = 100;
}
