namespace Oms.Testing.RawPeer;

/// <summary>What the raw peer does with a request once the client has ended its stream.</summary>
internal enum RawPeerReply
{
    /// <summary>HEADERS (<c>:status 200</c>, indexed) and one DATA frame with END_STREAM carrying the response body.</summary>
    Answer,

    /// <summary>Nothing, until the test calls <see cref="RawPeerConnection.Answer"/> or the connection ends.</summary>
    Hold,

    /// <summary>RST_STREAM with REFUSED_STREAM: the request was not processed.</summary>
    ResetRefused,

    /// <summary>RST_STREAM with CANCEL.</summary>
    ResetCancel,

    /// <summary>HEADERS and half a body without END_STREAM, then the socket is closed: a server dying mid-response.</summary>
    HeadersThenClose,

    /// <summary>The answer, then GOAWAY (NO_ERROR, last-stream-id this stream): a server retiring the connection.</summary>
    AnswerThenGoAway,

    /// <summary>The answer, then a frame that breaks the protocol (DATA on stream 0).</summary>
    AnswerThenViolate,

    /// <summary>
    /// HEADERS, then DATA frames without end for as long as the client grants credit and has not reset the stream:
    /// a server sending an endless body, within flow control.
    /// </summary>
    EndlessBody,

    /// <summary>HEADERS without END_HEADERS, then empty CONTINUATION frames until the client closes the connection.</summary>
    EndlessHeaderBlock,

    /// <summary>A malformed answer (RFC 9113 section 8.2.1): an upper-case field name in the response's header block.</summary>
    UpperCaseFieldName,
}
