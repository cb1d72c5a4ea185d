using System.Globalization;
using System.Security.Cryptography;

namespace Oms.Venue.Book;

/// <summary>Makes order ids of the exchange's 32-character shape.</summary>
/// <remarks>
/// The facts sheet describes a REST order id as <c>a</c>, 11 lowercase hex digits of the placement time in ms,
/// the 11-character user UID (<c>U</c> and 10 digits), and the last 9 characters of the client's request id.
/// Thread-safe.
/// </remarks>
public sealed class OrderIdFactory
{
    /// <summary>The length of every id this factory makes.</summary>
    public const int OrderIdLength = 32;

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly string _userUid;
    private readonly TimeProvider _clock;

    /// <summary>Creates a factory for one user, with a random UID unless given.</summary>
    public OrderIdFactory(string? userUid = null, TimeProvider? clock = null)
    {
        _userUid = userUid ?? "U" + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D10", CultureInfo.InvariantCulture);
        if (_userUid.Length != 11 || _userUid[0] != 'U' || _userUid.AsSpan(1).IndexOfAnyExcept("0123456789") >= 0)
        {
            throw new ArgumentException("A user UID is 'U' followed by 10 digits.", nameof(userUid));
        }

        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>A new order id, placed "now" minus a random few seconds.</summary>
    public string Next()
    {
        var placedAt = _clock.GetUtcNow().ToUnixTimeMilliseconds() - RandomNumberGenerator.GetInt32(0, 60_000);
        return string.Create(OrderIdLength, (placedAt, _userUid), static (span, state) =>
        {
            span[0] = 'a';
            state.placedAt.TryFormat(span.Slice(1, 11), out _, "x11", CultureInfo.InvariantCulture);
            state._userUid.AsSpan().CopyTo(span.Slice(12, 11));
            RandomNumberGenerator.GetItems(Alphanumerics, span[23..]);
        });
    }
}
