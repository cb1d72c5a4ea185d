using System.Collections.Concurrent;

namespace Oms.Venue.Handling;

/// <summary>The venue's own request limit: at most N requests per API key in any sliding second.</summary>
/// <remarks>
/// Each key keeps the times of its last N admitted requests in a ring; a request is admitted when the oldest of them
/// is a second old or more, so no window of one second ever holds more than N. Exact, O(1) per request, one small lock
/// per key. Thread-safe: Kestrel's request threads call it concurrently.
/// </remarks>
internal sealed class RateLimiter(int perSecond, TimeProvider clock)
{
    // Keys are what clients send in x-auth-key, authenticated or not; past this many, the rest share one window so a
    // client cycling through made-up keys cannot grow the table without bound.
    private const int MaxKeys = 1024;
    private const long WindowMs = 1000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Window _overflow = new(perSecond);

    /// <summary>True when the request may pass; false when the key has used its N requests within the last second.</summary>
    public bool TryAcquire(string apiKey)
    {
        if (!_windows.TryGetValue(apiKey, out var window))
        {
            window = _windows.Count < MaxKeys ? _windows.GetOrAdd(apiKey, static (_, capacity) => new Window(capacity), perSecond) : _overflow;
        }

        return window.TryAdmit(clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private sealed class Window
    {
        private readonly Lock _lock = new();
        private readonly long[] _admittedAtMs;
        private int _oldest;

        public Window(int capacity)
        {
            _admittedAtMs = new long[capacity];
            Array.Fill(_admittedAtMs, long.MinValue / 2);
        }

        public bool TryAdmit(long nowMs)
        {
            lock (_lock)
            {
                if (nowMs - _admittedAtMs[_oldest] < WindowMs)
                {
                    return false;
                }

                _admittedAtMs[_oldest] = nowMs;
                _oldest = _oldest + 1 == _admittedAtMs.Length ? 0 : _oldest + 1;
                return true;
            }
        }
    }
}
