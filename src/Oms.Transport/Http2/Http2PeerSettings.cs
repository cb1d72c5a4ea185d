namespace Oms.Transport.Http2;

/// <summary>
/// The settings the peer has announced, starting from the initial values of RFC 9113 section 6.5.2.
/// </summary>
/// <remarks>
/// Not synchronized: the connection's reader applies SETTINGS frames, and other threads read these values
/// only through whatever hand-off the connection provides.
/// </remarks>
internal sealed class Http2PeerSettings
{
    /// <summary>The initial SETTINGS_HEADER_TABLE_SIZE: 4,096 octets.</summary>
    public const uint DefaultHeaderTableSize = 4096;

    /// <summary>The initial SETTINGS_INITIAL_WINDOW_SIZE: 2^16-1 octets.</summary>
    public const int DefaultInitialWindowSize = 65_535;

    /// <summary>The initial SETTINGS_MAX_FRAME_SIZE: 2^14 octets.</summary>
    public const int DefaultMaxFrameSize = Http2Setting.MinMaxFrameSize;

    /// <summary>The maximum the peer may use for the HPACK dynamic table it decodes, in octets.</summary>
    public uint HeaderTableSize { get; private set; } = DefaultHeaderTableSize;

    /// <summary>Whether the peer permits server push; meaningless for a client's peer, kept for completeness.</summary>
    public bool EnablePush { get; private set; } = true;

    /// <summary>
    /// How many concurrent streams the peer lets us open; <see cref="uint.MaxValue"/> until the peer sets a
    /// limit, because initially "there is no limit".
    /// </summary>
    public uint MaxConcurrentStreams { get; private set; } = uint.MaxValue;

    /// <summary>The initial send window of every stream we open, 0 to 2^31-1.</summary>
    public int InitialWindowSize { get; private set; } = DefaultInitialWindowSize;

    /// <summary>The largest frame payload the peer accepts, 16,384 to 16,777,215.</summary>
    public int MaxFrameSize { get; private set; } = DefaultMaxFrameSize;

    /// <summary>
    /// The largest field section the peer is prepared to accept (advisory); <see cref="uint.MaxValue"/> until
    /// announced, because initially it is unlimited.
    /// </summary>
    public uint MaxHeaderListSize { get; private set; } = uint.MaxValue;

    /// <summary>Whether the peer has announced that it ignores RFC 7540 priority signals (RFC 9113 section 5.3.2).</summary>
    public bool NoRfc7540Priorities { get; private set; }

    /// <summary>
    /// Applies one parameter and returns how much SETTINGS_INITIAL_WINDOW_SIZE changed, for adjusting the send
    /// window of every open stream (RFC 9113 section 6.9.2). Unknown parameters are ignored.
    /// </summary>
    /// <param name="parameter">The identifier.</param>
    /// <param name="value">The announced value.</param>
    /// <returns>The new minus the old initial window size; 0 for other parameters.</returns>
    /// <exception cref="Http2ConnectionException">The value is out of range (codes as in <see cref="Http2ControlFrameReader.ReadSettings"/>).</exception>
    public int Apply(Http2SettingsParameter parameter, uint value) => Apply(new Http2Setting(parameter, value));

    /// <summary>
    /// Applies one parameter and returns how much SETTINGS_INITIAL_WINDOW_SIZE changed (RFC 9113 section 6.9.2).
    /// Unknown parameters are ignored.
    /// </summary>
    /// <param name="setting">The parameter and its value.</param>
    /// <returns>The new minus the old initial window size; 0 for other parameters.</returns>
    /// <exception cref="Http2ConnectionException">The value is out of range (codes as in <see cref="Http2ControlFrameReader.ReadSettings"/>).</exception>
    public int Apply(Http2Setting setting)
    {
        setting.ThrowIfInvalid();
        switch (setting.Parameter)
        {
            case Http2SettingsParameter.HeaderTableSize:
                HeaderTableSize = setting.Value;
                return 0;
            case Http2SettingsParameter.EnablePush:
                EnablePush = setting.Value == 1;
                return 0;
            case Http2SettingsParameter.MaxConcurrentStreams:
                MaxConcurrentStreams = setting.Value;
                return 0;
            case Http2SettingsParameter.InitialWindowSize:
                int previous = InitialWindowSize;
                InitialWindowSize = (int)setting.Value;
                return InitialWindowSize - previous;
            case Http2SettingsParameter.MaxFrameSize:
                MaxFrameSize = (int)setting.Value;
                return 0;
            case Http2SettingsParameter.MaxHeaderListSize:
                MaxHeaderListSize = setting.Value;
                return 0;
            case Http2SettingsParameter.NoRfc7540Priorities:
                NoRfc7540Priorities = setting.Value == 1;
                return 0;
            default:
                // RFC 9113 section 6.5.2: "An endpoint that receives a SETTINGS frame with any unknown or
                // unsupported identifier MUST ignore that setting."
                return 0;
        }
    }

    /// <summary>
    /// Applies every parameter of a SETTINGS frame, in order, and returns the net change of
    /// SETTINGS_INITIAL_WINDOW_SIZE across the frame (RFC 9113 section 6.9.2).
    /// </summary>
    /// <param name="settings">The parameters, from <see cref="Http2ControlFrameReader.ReadSettings"/>.</param>
    /// <returns>The final minus the original initial window size.</returns>
    /// <exception cref="Http2ConnectionException">A value is out of range.</exception>
    public int Apply(Http2SettingsEnumerator settings)
    {
        int delta = 0;
        foreach (Http2Setting setting in settings)
        {
            delta += Apply(setting);
        }

        return delta;
    }
}
