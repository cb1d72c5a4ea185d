namespace Oms.Transport.Http2;

/// <summary>
/// Walks the parameters of a received SETTINGS payload without copying or allocating; use it with
/// <see langword="foreach"/>. Obtained from <see cref="Http2ControlFrameReader.ReadSettings"/>, which has already
/// validated every value.
/// </summary>
/// <remarks>
/// A <see langword="ref struct"/> because it reads the pipe's buffer in place: it must not outlive the
/// read that produced the payload. Parameters come in wire order, unknown identifiers included, because
/// "parameters are processed in the order in which they appear" (RFC 9113 section 6.5).
/// </remarks>
internal ref struct Http2SettingsEnumerator
{
    private SequenceReader<byte> _reader;

    /// <summary>Starts before the first parameter of <paramref name="payload"/>.</summary>
    /// <param name="payload">A SETTINGS payload whose length is a multiple of 6.</param>
    internal Http2SettingsEnumerator(ReadOnlySequence<byte> payload)
    {
        _reader = new SequenceReader<byte>(payload);
        Current = default;
    }

    /// <summary>The parameter at the current position.</summary>
    public Http2Setting Current { get; private set; }

    /// <summary>The number of parameters not yet returned.</summary>
    public readonly int Remaining => (int)(_reader.Remaining / Http2Setting.Size);

    /// <summary>Returns this enumerator, so the payload can be walked with <see langword="foreach"/>.</summary>
    /// <returns>A copy of this enumerator at its current position.</returns>
    public readonly Http2SettingsEnumerator GetEnumerator() => this;

    /// <summary>
    /// Moves to the next parameter.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.5.1.
    /// <code>
    /// Setting {
    ///   Identifier (16),
    ///   Value (32),
    /// }
    /// </code>
    /// </remarks>
    /// <returns><see langword="false"/> after the last parameter.</returns>
    public bool MoveNext()
    {
        if (_reader.Remaining < Http2Setting.Size)
        {
            return false;
        }

        _reader.TryReadBigEndian(out short identifier);
        _reader.TryReadBigEndian(out int value);
        Current = new Http2Setting((Http2SettingsParameter)(ushort)identifier, (uint)value);
        return true;
    }
}
