using Oms.Transport.Connections;

namespace Oms.Engine.Sequencing;

/// <summary>
/// Parses wait strategy names from settings (<c>spin-then-park</c>, <c>busy-spin</c>, <c>yielding</c>,
/// <c>sleeping</c>, <c>blocking</c>) and creates the named strategy as a type argument.
/// </summary>
/// <remarks>Startup code: none of it is on a hot path.</remarks>
internal static class WaitStrategyFactory
{
    /// <summary>Parses a setting value, ignoring case and surrounding white space.</summary>
    /// <param name="name">The setting value, for example <c>yielding</c>.</param>
    /// <param name="kind">The named strategy when the call succeeds.</param>
    /// <returns><see langword="false"/> when <paramref name="name"/> names no strategy.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, out WaitStrategyKind kind)
    {
        ReadOnlySpan<char> trimmed = name.AsSpan().Trim();
        foreach (WaitStrategyKind candidate in Enum.GetValues<WaitStrategyKind>())
        {
            if (trimmed.Equals(GetName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Parses a setting value, ignoring case and surrounding white space.</summary>
    /// <param name="name">The setting value, for example <c>blocking</c>.</param>
    /// <returns>The named strategy.</returns>
    /// <exception cref="FormatException"><paramref name="name"/> names no strategy; the message lists the valid names.</exception>
    public static WaitStrategyKind Parse(string? name)
    {
        if (TryParse(name, out WaitStrategyKind kind))
        {
            return kind;
        }

        throw new FormatException(
            $"Unknown wait strategy '{name}'. Valid names: spin-then-park, busy-spin, yielding, sleeping, blocking.");
    }

    /// <summary>The setting name of a strategy, the inverse of <see cref="Parse"/>.</summary>
    /// <param name="kind">A strategy.</param>
    /// <returns><c>spin-then-park</c>, <c>busy-spin</c>, <c>yielding</c>, <c>sleeping</c> or <c>blocking</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static string GetName(WaitStrategyKind kind) => kind switch
    {
        WaitStrategyKind.BusySpin => "busy-spin",
        WaitStrategyKind.Yielding => "yielding",
        WaitStrategyKind.Sleeping => "sleeping",
        WaitStrategyKind.Blocking => "blocking",
        WaitStrategyKind.SpinThenPark => "spin-then-park",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a wait strategy."),
    };

    /// <summary>
    /// Creates the strategy <paramref name="kind"/> names and hands it to <paramref name="visitor"/> as a type
    /// argument, so the code the visitor builds is specialised for that strategy.
    /// </summary>
    /// <typeparam name="TResult">What the visitor builds.</typeparam>
    /// <param name="kind">The strategy to create.</param>
    /// <param name="visitor">Builds the sequencer, processor or engine around the strategy.</param>
    /// <returns>The visitor's result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static TResult Create<TResult>(WaitStrategyKind kind, IWaitStrategyVisitor<TResult> visitor) =>
        Create(kind, CancelEngineSettings.DefaultWaitSpin, visitor);

    /// <summary>
    /// As <see cref="Create{TResult}(WaitStrategyKind, IWaitStrategyVisitor{TResult})"/>, with the spin a
    /// <see cref="WaitStrategyKind.SpinThenPark"/> strategy uses before it parks (the other strategies ignore it).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="kind"/> is not a defined value, or the spin is outside <see cref="SpinThenParkWaitStrategy.MaxSpin"/>.
    /// </exception>
    public static TResult Create<TResult>(WaitStrategyKind kind, TimeSpan spin, IWaitStrategyVisitor<TResult> visitor) =>
        Create(kind, spin, poller: null, visitor);

    /// <summary>
    /// As <see cref="Create{TResult}(WaitStrategyKind, TimeSpan, IWaitStrategyVisitor{TResult})"/>, with the parking
    /// strategies (<see cref="WaitStrategyKind.Blocking"/>, <see cref="WaitStrategyKind.SpinThenPark"/>) parking in
    /// <paramref name="poller"/> when it is not null: the consumer then sleeps on its connections too and reads their
    /// answers itself. The other strategies never sleep and ignore it.
    /// </summary>
    public static TResult Create<TResult>(WaitStrategyKind kind, TimeSpan spin, SocketPoller? poller, IWaitStrategyVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return kind switch
        {
            WaitStrategyKind.BusySpin => visitor.Visit(new BusySpinWaitStrategy()),
            WaitStrategyKind.Yielding => visitor.Visit(new YieldingWaitStrategy()),
            WaitStrategyKind.Sleeping => visitor.Visit(new SleepingWaitStrategy()),
            WaitStrategyKind.Blocking => visitor.Visit(poller is null ? new BlockingWaitStrategy() : new BlockingWaitStrategy(poller)),
            WaitStrategyKind.SpinThenPark => visitor.Visit(poller is null ? new SpinThenParkWaitStrategy(spin) : new SpinThenParkWaitStrategy(spin, new BlockingWaitStrategy(poller))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a wait strategy."),
        };
    }
}
