namespace Oms.Transport.HPack;

/// <summary>Receives the header fields an <see cref="HPackDecoder"/> decodes, in block order.</summary>
/// <remarks>
/// Called on the thread that calls <see cref="HPackDecoder.Decode(ReadOnlySpan{byte}, bool, IHPackHeaderHandler)"/>.
/// The spans point into the decoder's buffers, its dynamic table or the caller's input: they are valid only
/// during the call, so copy or parse what must outlive it.
/// </remarks>
internal interface IHPackHeaderHandler
{
    /// <summary>One decoded header field.</summary>
    /// <param name="name">The field name, as octets (lowercase in HTTP/2, not validated here).</param>
    /// <param name="value">The field value, as octets.</param>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
