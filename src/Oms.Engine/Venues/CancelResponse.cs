namespace Oms.Engine.Venues;

/// <summary>
/// The result of parsing one cancel response body, whatever the venue: what kind of body it was, the business fields
/// it carried, the class the venue's parser gave it, and how much of the reason, message and diagnostic text was
/// copied into the caller's scratch spans.
/// </summary>
/// <remarks>
/// <para>
/// A plain value: the echoed id is stored inline (up to <see cref="MaxEchoedIdLength"/> bytes), the texts live
/// in the caller's spans. Keep it in a local or a field to read <see cref="EchoedId"/>, which points into it.
/// </para>
/// <para>
/// Act on the business fields only for <see cref="CancelResponseKind.Ack"/> and <see cref="CancelResponseKind.Err"/>.
/// For the other kinds they hold whatever was read before parsing stopped (a <see cref="Code"/> seen before the
/// cut, say), which helps a diagnosis but is no verdict; <see cref="ErrorClass"/> is then
/// <see cref="VenueErrorClass.Undetermined"/>.
/// </para>
/// </remarks>
internal struct CancelResponse
{
    /// <summary>The most echoed-id bytes kept: the length of every id the engine sends.</summary>
    public const int MaxEchoedIdLength = InlineAscii.Capacity;

    private EchoedIdBuffer _echoedId;

    /// <summary>What the body was.</summary>
    public CancelResponseKind Kind;

    /// <summary>The body's length in bytes.</summary>
    public int BodyLength;

    /// <summary>Whether the body had a top-level <c>code</c> that is an integer.</summary>
    public bool HasCode;

    /// <summary>The top-level <c>code</c> (0 is success), meaningful when <see cref="HasCode"/>.</summary>
    public long Code;

    /// <summary>The <c>status</c> field: top-level for v1 errors, <c>data.status</c> for a v1 Ack; none in v2.</summary>
    public VenueStatus Status;

    /// <summary>The error's reason, from the <c>reason</c> text when known, otherwise from the code; <see cref="VenueReason.None"/> for an Ack.</summary>
    public VenueReason Reason;

    /// <summary>Whether the body echoed a request id (v1 Ack: <c>data.info.id</c>; v1 Err: <c>info.id</c>; v2 success: <c>data.meta.id</c>).</summary>
    /// <remarks>Errors that are not about the order, such as 200001, echo none: correlate them by stream.</remarks>
    public bool HasEchoedId;

    /// <summary>The echoed id's full length; when it exceeds <see cref="MaxEchoedIdLength"/> only that many bytes are kept.</summary>
    public int EchoedIdLength;

    /// <summary>The full length of the <c>reason</c> text in the body (raw, escapes left as written); 0 when absent.</summary>
    public int ReasonLength;

    /// <summary>How many bytes of the reason were copied into the caller's reason span.</summary>
    public int ReasonBytesCopied;

    /// <summary>The full length of the <c>message</c> text in the body (raw, escapes left as written); 0 when absent.</summary>
    public int MessageLength;

    /// <summary>How many bytes of the message were copied into the caller's message span.</summary>
    public int MessageBytesCopied;

    /// <summary>For a body that is not an Ack or an Err, how many of its first bytes were copied into the caller's diagnostic span.</summary>
    public int DiagnosticBytesCopied;

    /// <summary>The echoed id's bytes (at most <see cref="MaxEchoedIdLength"/>); empty when there was none.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> EchoedId =>
        ((ReadOnlySpan<byte>)_echoedId)[..Math.Min(EchoedIdLength, MaxEchoedIdLength)];

    /// <summary>What the engine does with this answer: the venue's parser maps its codes and reasons to a class.</summary>
    public VenueErrorClass ErrorClass;

    /// <summary>Whether the echoed id is exactly the id that was sent.</summary>
    /// <param name="sentId">The request id the engine sent.</param>
    /// <returns><see langword="false"/> when no id was echoed or it differs in any byte or in length.</returns>
    public readonly bool EchoedIdEquals(ReadOnlySpan<byte> sentId) =>
        HasEchoedId && EchoedIdLength == sentId.Length && EchoedId.SequenceEqual(sentId);

    /// <summary>Stores an id captured by the parser.</summary>
    internal void SetEchoedId(in EchoedIdBuffer bytes, int length)
    {
        _echoedId = bytes;
        EchoedIdLength = length;
        HasEchoedId = true;
    }
}
