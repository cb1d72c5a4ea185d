namespace Oms.Engine.Venues;

/// <summary>Inline storage for an echoed request id, so a <see cref="CancelResponse"/> carries it without a heap buffer.</summary>
[InlineArray(CancelResponse.MaxEchoedIdLength)]
internal struct EchoedIdBuffer
{
    private byte _element0;
}
