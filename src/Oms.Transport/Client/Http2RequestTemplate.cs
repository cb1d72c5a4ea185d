using System.Text;

namespace Oms.Transport.Client;

/// <summary>
/// The fixed shape of a request sent many times: method, path, constant headers, and up to two headers whose
/// values change per request. Built once; each connection encodes its constant part once and reuses the bytes.
/// </summary>
/// <remarks>
/// Constant headers are HPACK-indexed on a connection's first use (literal with incremental indexing), so every
/// later request carries them as one-octet indexed fields. Variable headers are sent as literals that never touch
/// the dynamic table: "without indexing", or "never indexed" when marked sensitive (RFC 7541 section 7.1.3) so
/// intermediaries do not compress a secret-derived value either. Immutable and thread-safe.
/// </remarks>
internal sealed class Http2RequestTemplate
{
    /// <summary>The most variable headers a template may declare.</summary>
    public const int MaxVariableHeaders = 2;

    private readonly byte[][] _constantNames;
    private readonly byte[][] _constantValues;
    private readonly byte[][] _variablePrefixes;
    private readonly byte[] _method;
    private readonly byte[] _path;

    /// <summary>Creates a template.</summary>
    /// <param name="method">The method, e.g. <c>DELETE</c>.</param>
    /// <param name="path">The path and query, starting with <c>/</c>.</param>
    /// <param name="constantHeaders">Regular headers that are the same on every request (lowercase names).</param>
    /// <param name="variableHeaders">Up to <see cref="MaxVariableHeaders"/> header names whose values each request supplies, and whether each is sensitive.</param>
    public Http2RequestTemplate(
        string method,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> constantHeaders,
        IReadOnlyList<KeyValuePair<string, bool>> variableHeaders)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(constantHeaders);
        ArgumentNullException.ThrowIfNull(variableHeaders);
        if (path[0] != '/')
        {
            throw new ArgumentException("The path must start with '/'.", nameof(path));
        }

        if (variableHeaders.Count > MaxVariableHeaders)
        {
            throw new ArgumentException($"At most {MaxVariableHeaders} variable headers.", nameof(variableHeaders));
        }

        Method = method;
        Path = path;
        _method = Encoding.ASCII.GetBytes(method);
        _path = Encoding.ASCII.GetBytes(path);
        _constantNames = [.. constantHeaders.Select(h => HeaderName(h.Key))];
        _constantValues = [.. constantHeaders.Select(h => Encoding.ASCII.GetBytes(h.Value))];
        _variablePrefixes = [.. variableHeaders.Select(h => VariablePrefix(HeaderName(h.Key), h.Value))];
        VariableHeaderCount = variableHeaders.Count;
    }

    /// <summary>The request method.</summary>
    public string Method { get; }

    /// <summary>The request path.</summary>
    public string Path { get; }

    /// <summary>How many variable header values each request must supply.</summary>
    public int VariableHeaderCount { get; }

    internal ReadOnlySpan<byte> MethodBytes => _method;

    internal ReadOnlySpan<byte> PathBytes => _path;

    internal int ConstantHeaderCount => _constantNames.Length;

    internal ReadOnlySpan<byte> ConstantName(int i) => _constantNames[i];

    internal ReadOnlySpan<byte> ConstantValue(int i) => _constantValues[i];

    /// <summary>The representation byte and the literal name of a variable header: everything but its value.</summary>
    internal ReadOnlySpan<byte> VariablePrefix(int i) => _variablePrefixes[i];

    private static byte[] HeaderName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var c in name)
        {
            // RFC 9113 section 8.2.1: field names are lowercase; pseudo-headers are the template's business.
            if (c is < '!' or > '~' || char.IsAsciiLetterUpper(c) || c == ':')
            {
                throw new ArgumentException($"'{name}' is not a lowercase HTTP/2 header name.", nameof(name));
            }
        }

        return Encoding.ASCII.GetBytes(name);
    }

    // RFC 7541 section 6.2.2 / 6.2.3, new name:
    //   0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+
    // | 0 | 0 | 0 | N |       0       |   N = 1: never indexed
    // +---+---+-----------------------+
    // | H |     Name Length (7+)      |
    // +---+---------------------------+
    // |  Name String (Length octets)  |
    // +---+---------------------------+
    private static byte[] VariablePrefix(byte[] name, bool sensitive)
    {
        var prefix = new byte[1 + HPackInteger.GetEncodedLength(name.Length, 7) + name.Length];
        prefix[0] = sensitive ? (byte)0x10 : (byte)0x00;
        HPackInteger.TryEncode(name.Length, 7, 0x00, prefix.AsSpan(1), out var written);
        name.CopyTo(prefix, 1 + written);
        return prefix;
    }
}
