namespace Oms.Venue.Tests.Support;

/// <summary>A venue clock that moves only when told: starts at the real time, so signed timestamps stay within the 30 s window.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _nowMs));

    public void Advance(long milliseconds) => Interlocked.Add(ref _nowMs, milliseconds);
}
