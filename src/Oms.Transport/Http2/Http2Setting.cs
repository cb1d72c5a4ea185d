namespace Oms.Transport.Http2;

/// <summary>
/// One SETTINGS parameter: an identifier and its 32-bit value (RFC 9113 section 6.5.1).
/// </summary>
/// <param name="Parameter">The identifier; may be one this client does not know.</param>
/// <param name="Value">The value, as sent on the wire.</param>
internal readonly record struct Http2Setting(Http2SettingsParameter Parameter, uint Value)
{
    /// <summary>The size of one parameter on the wire: a 16-bit identifier and a 32-bit value.</summary>
    public const int Size = 6;

    /// <summary>The largest flow-control window, 2^31-1 (RFC 9113 section 6.9.1).</summary>
    public const uint MaxWindowSize = int.MaxValue;

    /// <summary>The initial and smallest SETTINGS_MAX_FRAME_SIZE, 2^14 (RFC 9113 section 6.5.2).</summary>
    public const int MinMaxFrameSize = 1 << 14;

    /// <summary>The largest SETTINGS_MAX_FRAME_SIZE, 2^24-1 (RFC 9113 section 6.5.2).</summary>
    public const int MaxMaxFrameSize = (1 << 24) - 1;

    /// <summary>
    /// Checks a value against the range RFC 9113 sections 6.5.2 and 5.3.2 allow for its parameter. Unknown
    /// parameters are always valid: a receiver "MUST ignore" them.
    /// </summary>
    /// <param name="errorCode">The connection error code the RFC prescribes, when invalid.</param>
    /// <param name="message">Why the value is invalid, when invalid.</param>
    /// <returns><see langword="true"/> when the value is allowed.</returns>
    internal bool TryValidate(out Http2ErrorCode errorCode, out string message)
    {
        switch (Parameter)
        {
            case Http2SettingsParameter.EnablePush when Value > 1:
                errorCode = Http2ErrorCode.ProtocolError;
                message = "SETTINGS_ENABLE_PUSH must be 0 or 1.";
                return false;
            case Http2SettingsParameter.InitialWindowSize when Value > MaxWindowSize:
                errorCode = Http2ErrorCode.FlowControlError;
                message = "SETTINGS_INITIAL_WINDOW_SIZE exceeds 2^31-1.";
                return false;
            case Http2SettingsParameter.MaxFrameSize when Value is < MinMaxFrameSize or > MaxMaxFrameSize:
                errorCode = Http2ErrorCode.ProtocolError;
                message = "SETTINGS_MAX_FRAME_SIZE must be between 16,384 and 16,777,215.";
                return false;
            case Http2SettingsParameter.NoRfc7540Priorities when Value > 1:
                errorCode = Http2ErrorCode.ProtocolError;
                message = "SETTINGS_NO_RFC7540_PRIORITIES must be 0 or 1.";
                return false;
            default:
                errorCode = Http2ErrorCode.NoError;
                message = string.Empty;
                return true;
        }
    }

    /// <summary>Throws the connection error RFC 9113 prescribes when the value is out of range.</summary>
    /// <exception cref="Http2ConnectionException">The value is out of range for its parameter.</exception>
    internal void ThrowIfInvalid()
    {
        if (!TryValidate(out Http2ErrorCode errorCode, out string message))
        {
            ThrowHelper.ThrowConnectionError(errorCode, message);
        }
    }
}
