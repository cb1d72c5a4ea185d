namespace Oms.Transport.HPack;

/// <summary>How a literal header field affects the dynamic table (RFC 7541 section 6.2).</summary>
internal enum HPackIndexing
{
    /// <summary>Literal Header Field with Incremental Indexing (RFC 7541 section 6.2.1): both sides add the field to their dynamic table.</summary>
    Incremental = 0,

    /// <summary>Literal Header Field without Indexing (RFC 7541 section 6.2.2): the dynamic table is left as it is.</summary>
    WithoutIndexing = 1,

    /// <summary>
    /// Literal Header Field Never Indexed (RFC 7541 section 6.2.3): not indexed here, and intermediaries must keep it
    /// literal too. For values that must not be probed through compression (signatures, keys; RFC 7541 section 7.1.3).
    /// </summary>
    NeverIndexed = 2,
}
