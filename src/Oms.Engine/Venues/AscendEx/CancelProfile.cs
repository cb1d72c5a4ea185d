using System.Buffers;
using System.Text;


namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// The constants of one version of the AscendEX futures cancel endpoint, and the rules strategy input must meet
/// before a cancel is queued. The profile changes the constants and the response parser, not the pipeline.
/// </summary>
/// <remarks>
/// <para>Order-id rules, checked by <see cref="TryValidate(ReadOnlySpan{char}, ReadOnlySpan{char}, out CancelRefusal)"/>:</para>
/// <list type="bullet">
/// <item><description>
/// <see cref="V1"/>: exactly 32 ASCII letters and digits (<c>[A-Za-z0-9]{32}</c>). The contract asks for the
/// "32 chars order id responded by server"; the venue builds ids from a prefix letter, hex digits, the
/// <c>U</c>-prefixed user id and the last 9 characters of the placing request id, which v1 restricts to letters
/// and digits.
/// </description></item>
/// <item><description>
/// <see cref="V2"/>: 1 to 32 characters of <c>[A-Za-z0-9_-]</c>. Ids are 32 characters today and 31 for older
/// orders, and the facts sheet warns against refusing an id on its length alone, so only the empty id and ids
/// longer than any the venue issues are refused. The underscore and hyphen are allowed because v2 request ids
/// may hold them and their last 9 characters end up in the order id.
/// </description></item>
/// </list>
/// <para>
/// Symbol rule, both profiles: 1 to <see cref="MaxSymbolLength"/> visible ASCII characters (0x21 to 0x7E).
/// Venue symbols such as <c>BTC-PERP</c> are short ASCII; control characters, spaces and non-ASCII text can only
/// come from a bug in the strategy.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class CancelProfile
{
    /// <summary>The longest symbol accepted; it bounds the pre-allocated request buffer.</summary>
    public const int MaxSymbolLength = 64;

    /// <summary>The HTTP method of both cancel endpoints.</summary>
    internal const string Method = "DELETE";

    private static readonly SearchValues<char> s_lettersAndDigits =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> s_lettersDigitsUnderscoreHyphen =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-");

    // Visible ASCII, 0x21 to 0x7E. A SearchValues rather than ContainsAnyExceptInRange: the generic range helper
    // was measured allocating per call when its caller is not optimised (Debug builds, tier 0).
    private static readonly SearchValues<char> s_visibleAscii =
        SearchValues.Create("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static readonly CancelProfile s_v2Accept = NewV2(CancelRespInst.Accept);
    private static readonly CancelProfile s_v2Done = NewV2(CancelRespInst.Done);

    private readonly SearchValues<char> _orderIdChars;

    private CancelProfile(
        CancelApiVersion version, string pathSuffix, string prehashPath, int minOrderIdLength, SearchValues<char> orderIdChars, CancelRespInst? respInst)
    {
        Version = version;
        Name = version == CancelApiVersion.V1 ? "v1" : "v2";
        PathSuffix = pathSuffix;
        PrehashPath = prehashPath;
        MinOrderIdLength = minOrderIdLength;
        MaxOrderIdLength = OrderId.MaxLength;
        _orderIdChars = orderIdChars;
        RespInst = respInst;
        RespInstText = respInst switch
        {
            null => null,
            CancelRespInst.Accept => "ACCEPT",
            CancelRespInst.Done => "DONE",
            _ => "ACK",
        };
    }

    private static CancelProfile NewV2(CancelRespInst respInst) =>
        new(CancelApiVersion.V2, "api/pro/v2/futures/order", "v2/futures/order", 1, s_lettersDigitsUnderscoreHyphen, respInst);

    /// <summary>The v1 futures cancel of the contract: prehash <c>order</c>, body <c>{id, orderId, symbol, time}</c>.</summary>
    public static CancelProfile V1 { get; } = new(CancelApiVersion.V1, "api/pro/v1/futures/order", "order", OrderId.MaxLength, s_lettersAndDigits, null);

    /// <summary>The v2 futures cancel with <c>respInst</c> <c>ACK</c>: prehash <c>v2/futures/order</c>, body <c>{id, orderId, symbol, time, respInst}</c>.</summary>
    public static CancelProfile V2 { get; } = NewV2(CancelRespInst.Ack);

    /// <summary>Which endpoint version this is.</summary>
    public CancelApiVersion Version { get; }

    /// <summary>The settings name: <c>v1</c> or <c>v2</c>.</summary>
    public string Name { get; }

    /// <summary>The URL path after <c>/&lt;account group&gt;/</c>, e.g. <c>api/pro/v1/futures/order</c>.</summary>
    internal string PathSuffix { get; }

    /// <summary>The path that is signed, e.g. <c>order</c>: not the URL path.</summary>
    internal string PrehashPath { get; }

    /// <summary>The shortest order id accepted.</summary>
    public int MinOrderIdLength { get; }

    /// <summary>The longest order id accepted; it bounds the pre-allocated request buffer.</summary>
    public int MaxOrderIdLength { get; }

    /// <summary>The v2 <c>respInst</c>, or <see langword="null"/> for v1, whose body has no such field.</summary>
    public CancelRespInst? RespInst { get; }

    /// <summary>The <c>respInst</c> value as written in the body (<c>ACK</c>, <c>ACCEPT</c>, <c>DONE</c>), or <see langword="null"/> for v1.</summary>
    public string? RespInstText { get; }

    /// <summary>The v2 profile with a given <c>respInst</c>.</summary>
    /// <param name="respInst">How long the venue should wait before answering.</param>
    /// <returns>A shared instance; <see cref="V2"/> for <see cref="CancelRespInst.Ack"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="respInst"/> is not a defined value.</exception>
    public static CancelProfile V2With(CancelRespInst respInst) => respInst switch
    {
        CancelRespInst.Ack => V2,
        CancelRespInst.Accept => s_v2Accept,
        CancelRespInst.Done => s_v2Done,
        _ => throw new ArgumentOutOfRangeException(nameof(respInst), respInst, "Not a respInst the venue knows."),
    };

    /// <summary>Finds a profile by its settings name, <c>v1</c> or <c>v2</c> (case-insensitive).</summary>
    /// <param name="name">The name from settings or the command line.</param>
    /// <param name="profile">The profile, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> if the name is known.</returns>
    public static bool TryGetByName(string? name, [NotNullWhen(true)] out CancelProfile? profile)
    {
        profile = name is null ? null
            : string.Equals(name, "v1", StringComparison.OrdinalIgnoreCase) ? V1
            : string.Equals(name, "v2", StringComparison.OrdinalIgnoreCase) ? V2
            : null;
        return profile is not null;
    }

    /// <summary>The full request path for an account group: <c>/&lt;group&gt;/&lt;PathSuffix&gt;</c>.</summary>
    /// <param name="accountGroup">The account group from <c>GET /api/pro/v1/info</c> or settings, e.g. <c>4</c>.</param>
    /// <returns>The <c>:path</c> value, e.g. <c>/4/api/pro/v1/futures/order</c>.</returns>
    /// <exception cref="ArgumentException">The group is empty or holds anything but visible ASCII other than <c>/</c>, <c>?</c> and <c>#</c>.</exception>
    /// <remarks>Allocates: call once at start-up and keep the result.</remarks>
    internal string BuildPath(string accountGroup)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountGroup);
        if (accountGroup.AsSpan().ContainsAnyExceptInRange((char)0x21, (char)0x7E) || accountGroup.AsSpan().ContainsAny('/', '?', '#'))
        {
            throw new ArgumentException("The account group must be one path segment of visible ASCII.", nameof(accountGroup));
        }

        return string.Concat("/", accountGroup, "/", PathSuffix);
    }

    /// <summary>
    /// The cancel request's header template: this profile's method and path, the JSON content type and the API key;
    /// the timestamp and the signature (never indexed by HPACK: it changes every millisecond) vary per request.
    /// </summary>
    internal Http2RequestTemplate CreateTemplate(string accountGroup, string apiKey) =>
        new(
            Method,
            BuildPath(accountGroup),
            [new("content-type", "application/json"), new("x-auth-key", apiKey)],
            [new("x-auth-timestamp", false), new("x-auth-signature", true)]);

    /// <summary>The full request path as ASCII bytes, for the HPACK encoder.</summary>
    /// <param name="accountGroup">The account group.</param>
    /// <returns>The <c>:path</c> value's bytes.</returns>
    /// <exception cref="ArgumentException">As for <see cref="BuildPath(string)"/>.</exception>
    /// <remarks>Allocates: call once at start-up and keep the result.</remarks>
    internal byte[] BuildPathUtf8(string accountGroup) => Encoding.ASCII.GetBytes(BuildPath(accountGroup));

    /// <summary>Checks strategy input against this profile's rules (see the type's remarks).</summary>
    /// <param name="orderId">The venue order id to cancel.</param>
    /// <param name="symbol">The order's symbol, e.g. <c>BTC-PERP</c>.</param>
    /// <param name="reason">Why the input was refused, or <see cref="CancelRefusal.None"/>.</param>
    /// <returns><see langword="true"/> if the input may be sent.</returns>
    /// <remarks>Thread-safe and allocation-free: strategy threads call it.</remarks>
    internal bool TryValidate(ReadOnlySpan<char> orderId, ReadOnlySpan<char> symbol, out CancelRefusal reason)
    {
        reason = orderId.IsEmpty ? CancelRefusal.OrderIdEmpty
            : orderId.Length < MinOrderIdLength || orderId.Length > MaxOrderIdLength ? CancelRefusal.OrderIdLength
            : orderId.ContainsAnyExcept(_orderIdChars) ? CancelRefusal.OrderIdCharacter
            : symbol.IsEmpty ? CancelRefusal.SymbolEmpty
            : symbol.Length > MaxSymbolLength ? CancelRefusal.SymbolTooLong
            : symbol.ContainsAnyExcept(s_visibleAscii) ? CancelRefusal.SymbolCharacter
            : CancelRefusal.None;
        return reason == CancelRefusal.None;
    }

    /// <summary>The profile's name.</summary>
    /// <returns><c>v1</c>, or <c>v2</c> followed by the <c>respInst</c>.</returns>
    public override string ToString() => RespInstText is null ? Name : $"{Name} (respInst {RespInstText})";
}
