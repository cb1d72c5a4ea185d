namespace Oms.Transport.Http2;

/// <summary>
/// The fields of a received GOAWAY frame (RFC 9113 section 6.8).
/// </summary>
/// <remarks>
/// <see cref="DebugData"/> points into the pipe's buffer: copy what you need before advancing the reader.
/// </remarks>
internal readonly struct Http2GoAwayPayload
{
    /// <summary>Creates the parsed fields of a GOAWAY frame.</summary>
    /// <param name="lastStreamId">The highest stream the peer might have processed.</param>
    /// <param name="errorCode">Why the connection is closing.</param>
    /// <param name="debugData">Opaque diagnostic octets.</param>
    public Http2GoAwayPayload(int lastStreamId, Http2ErrorCode errorCode, ReadOnlySequence<byte> debugData)
    {
        LastStreamId = lastStreamId;
        ErrorCode = errorCode;
        DebugData = debugData;
    }

    /// <summary>
    /// The highest-numbered stream the peer might have acted on; streams above it were never processed and
    /// can be retried on another connection (RFC 9113 section 6.8).
    /// </summary>
    public int LastStreamId { get; }

    /// <summary>Why the connection is closing; <see cref="Http2ErrorCode.NoError"/> for a graceful shutdown.</summary>
    public Http2ErrorCode ErrorCode { get; }

    /// <summary>Additional debug data, possibly empty; diagnostic only, it carries no semantics.</summary>
    public ReadOnlySequence<byte> DebugData { get; }
}
