using System.Globalization;
using System.Security.Cryptography;

namespace Oms.Load;

/// <summary>
/// Order ids of the exchange's 32-character shape, made on demand from the index: nothing is stored per order, so a
/// run of a hundred million intents costs no memory up front, and no string is allocated per cancel.
/// </summary>
/// <remarks>
/// The facts sheet's REST shape: <c>a</c>, 11 lowercase hex digits of the placement time in ms (the run's start), the
/// 11-character user UID (<c>U</c> and 10 random digits per run), then 9 characters that are the index in base 62.
/// Ids are distinct within a run, and runs differ by their start time and UID.
/// </remarks>
internal sealed class GeneratedOrderSource : OrderSource
{
    /// <summary>The length of every generated id.</summary>
    public const int OrderIdLength = 32;

    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int PrefixLength = 23;

    private readonly string _prefix;
    private readonly string _symbol;

    public GeneratedOrderSource(int count, string symbol, long placedAtMs, int userNumber)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(placedAtMs);
        ArgumentOutOfRangeException.ThrowIfNegative(userNumber);
        Count = count;
        _symbol = symbol;
        _prefix = string.Create(CultureInfo.InvariantCulture, $"a{placedAtMs:x11}U{userNumber:D10}");
        if (_prefix.Length != PrefixLength)
        {
            throw new ArgumentOutOfRangeException(nameof(placedAtMs), "The placement time needs at most 11 hex digits and the user number at most 10 digits.");
        }
    }

    public override int Count { get; }

    /// <summary>A source for a run starting now, with a random user UID.</summary>
    public static GeneratedOrderSource StartingNow(int count, string symbol) =>
        new(count, symbol, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), RandomNumberGenerator.GetInt32(0, 1_000_000_000));

    public override ReadOnlySpan<char> GetOrderId(int index, Span<char> scratch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var id = scratch[..OrderIdLength];
        _prefix.AsSpan().CopyTo(id);

        // 62^9 is far above int.MaxValue, so every index has its own suffix.
        var rest = (uint)index;
        for (var i = OrderIdLength - 1; i >= PrefixLength; i--)
        {
            id[i] = Digits[(int)(rest % (uint)Digits.Length)];
            rest /= (uint)Digits.Length;
        }

        return id;
    }

    public override string GetSymbol(int index) => _symbol;
}
