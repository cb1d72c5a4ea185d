using Oms.Transport.HPack;

namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>Takes the <c>:status</c> out of a decoded response header block; every other field is passed over, no string made.</summary>
internal struct ResponseStatus : IHPackHeaderHandler
{
    /// <summary>The status, or 0 when none (or a malformed one) was seen.</summary>
    public int Status;

    /// <inheritdoc/>
    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (name.SequenceEqual(":status"u8) && value.Length == 3
            && char.IsAsciiDigit((char)value[0]) && char.IsAsciiDigit((char)value[1]) && char.IsAsciiDigit((char)value[2]))
        {
            Status = ((value[0] - '0') * 100) + ((value[1] - '0') * 10) + (value[2] - '0');
        }
    }
}
