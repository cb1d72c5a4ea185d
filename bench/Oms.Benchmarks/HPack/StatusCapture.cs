using Oms.Transport.HPack;

namespace Oms.Benchmarks.HPack;

/// <summary>
/// What the connection's reader takes from a response header block: the <c>:status</c> digits, everything else
/// skipped. A struct, so the decoder's generic overload calls it without an interface dispatch.
/// </summary>
public struct StatusCapture : IHPackHeaderHandler
{
    /// <summary>The status code, or 0 when none was seen.</summary>
    public int Status;

    /// <summary>How many fields the block carried.</summary>
    public int Fields;

    /// <inheritdoc />
    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Fields++;
        if (name.SequenceEqual(":status"u8) && value.Length == 3)
        {
            int status = 0;
            foreach (byte digit in value)
            {
                if (digit is < (byte)'0' or > (byte)'9')
                {
                    return;
                }

                status = (status * 10) + (digit - '0');
            }

            Status = status;
        }
    }
}
