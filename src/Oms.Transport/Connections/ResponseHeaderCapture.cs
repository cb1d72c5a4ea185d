namespace Oms.Transport.Connections;

/// <summary>
/// Takes <c>:status</c>, <c>retry-after</c> and <c>date</c> from a response header block, and notes whether the block
/// is malformed (RFC 9113 sections 8.1 to 8.3); everything else is ignored. Reader thread only, one block at a time.
/// </summary>
internal struct ResponseHeaderCapture : IHPackHeaderHandler
{
    public int Status;
    public int RetryAfterSeconds;
    public long ServerDate;
    public HttpDateHeader DateHeader;
    public bool SawPseudoHeader;
    public bool SawRegularField;
    public string? Malformed;

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (!name.IsEmpty && name[0] == (byte)':')
        {
            OnPseudoHeader(name, value);
            return;
        }

        SawRegularField = true;
        if (name.IndexOfAnyInRange((byte)'A', (byte)'Z') >= 0)
        {
            // RFC 9113 section 8.2.1: field names are lower case in HTTP/2.
            Malformed ??= "An upper-case response field name.";
        }
        else if (name.SequenceEqual("retry-after"u8))
        {
            RetryAfterSeconds = RetryAfterHeader.Parse(value, DateTime.UtcNow);
        }
        else if (name.SequenceEqual("date"u8))
        {
            ServerDate = DateHeader.Parse(value);
        }
    }

    // RFC 9113 section 8.3: pseudo-headers come first, and a response has exactly one, :status.
    private void OnPseudoHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (SawRegularField)
        {
            Malformed ??= "A pseudo-header field after a regular field.";
        }

        if (!name.SequenceEqual(":status"u8))
        {
            Malformed ??= "A pseudo-header field other than :status in a response.";
            SawPseudoHeader = true;
            return;
        }

        if (SawPseudoHeader)
        {
            Malformed ??= "Two :status fields.";
        }

        SawPseudoHeader = true;
        if (value.Length == 3)
        {
            var status = 0;
            foreach (var digit in value)
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
