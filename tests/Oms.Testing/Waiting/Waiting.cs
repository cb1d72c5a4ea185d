namespace Oms.Testing.Waiting;

/// <summary>Polling for a condition another thread makes true, bounded in time.</summary>
public static class Waiting
{
    /// <summary>Polls <paramref name="condition"/> every 10 ms for up to <paramref name="timeout"/> (10 s by default).</summary>
    /// <returns>The condition's value at the end: false when it never held in time.</returns>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        return condition();
    }
}
