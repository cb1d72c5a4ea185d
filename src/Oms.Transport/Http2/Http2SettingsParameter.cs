namespace Oms.Transport.Http2;

/// <summary>
/// The SETTINGS parameter identifiers of RFC 9113 section 6.5.2 (and 5.3.2).
/// </summary>
/// <remarks>
/// The identifier is 16 bits on the wire; an unknown identifier must be ignored (RFC 9113 section 6.5.2),
/// so a value read from the wire may lie outside this list.
/// </remarks>
internal enum Http2SettingsParameter : ushort
{
    /// <summary><c>SETTINGS_HEADER_TABLE_SIZE</c> (0x01): maximum HPACK dynamic table size, initially 4,096.</summary>
    HeaderTableSize = 0x1,

    /// <summary><c>SETTINGS_ENABLE_PUSH</c> (0x02): 0 or 1, whether server push is permitted; initially 1.</summary>
    EnablePush = 0x2,

    /// <summary><c>SETTINGS_MAX_CONCURRENT_STREAMS</c> (0x03): streams the receiver may open; initially unlimited.</summary>
    MaxConcurrentStreams = 0x3,

    /// <summary><c>SETTINGS_INITIAL_WINDOW_SIZE</c> (0x04): initial stream send window, initially 65,535, at most 2^31-1.</summary>
    InitialWindowSize = 0x4,

    /// <summary><c>SETTINGS_MAX_FRAME_SIZE</c> (0x05): largest frame payload accepted, 16,384 to 16,777,215.</summary>
    MaxFrameSize = 0x5,

    /// <summary><c>SETTINGS_MAX_HEADER_LIST_SIZE</c> (0x06): advisory maximum field section size; initially unlimited.</summary>
    MaxHeaderListSize = 0x6,

    /// <summary><c>SETTINGS_NO_RFC7540_PRIORITIES</c> (0x09): 0 or 1, whether RFC 7540 priorities are disabled (RFC 9113 section 5.3.2).</summary>
    NoRfc7540Priorities = 0x9,
}
