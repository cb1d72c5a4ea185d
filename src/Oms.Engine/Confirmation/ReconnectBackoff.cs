namespace Oms.Engine.Confirmation;

/// <summary>The wait before the order stream's next connection attempt: exponential, capped, jittered.</summary>
/// <remarks>
/// The facts sheet reports 429 bans on the upgrade after reconnect storms from one address, so the waits of many
/// engines restarted together must spread out: each wait is drawn from the upper half of its step, never below the
/// minimum nor above the maximum. Stateless; any thread.
/// </remarks>
internal static class ReconnectBackoff
{
    // 2^20 times any sensible minimum is past any sensible maximum; past it the wait is capped anyway.
    private const int MaxDoublings = 20;

    /// <summary>The wait before attempt number <paramref name="failures"/> + 1.</summary>
    /// <param name="failures">Attempts that failed (or connections that did not last) since the last stable connection, at least 1.</param>
    /// <param name="min">The shortest wait.</param>
    /// <param name="max">The longest wait, at least <paramref name="min"/>.</param>
    /// <param name="unitJitter">A number in [0, 1): where in the step the wait falls.</param>
    /// <returns>A wait in [<paramref name="min"/>, <paramref name="max"/>]: within [min, 2 min] after the first failure, the range doubling per failure until capped at [max / 2, max].</returns>
    public static TimeSpan Delay(int failures, TimeSpan min, TimeSpan max, double unitJitter)
    {
        Debug.Assert(min > TimeSpan.Zero && max >= min, "Validated by ConfirmationSettings.");
        int doublings = Math.Clamp(failures, 1, MaxDoublings);
        // Compared before shifting, so a large minimum cannot overflow: min > max / 2^d means min * 2^d > max.
        long upper = min.Ticks > (max.Ticks >> doublings) ? max.Ticks : min.Ticks << doublings;
        long lower = Math.Max(min.Ticks, upper / 2);
        double jitter = Math.Clamp(unitJitter, 0, 1);
        return TimeSpan.FromTicks(lower + (long)((upper - lower) * jitter));
    }
}
