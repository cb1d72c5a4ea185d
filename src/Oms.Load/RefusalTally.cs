using Oms.Engine;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Load;

/// <summary>
/// Intents the engine refused at <c>TryCancel</c> and that were therefore never sent, by reason; written by the
/// strategy threads. A refusal the run waited out (ring full) is not counted: only the intents that stay refused.
/// </summary>
internal sealed class RefusalTally
{
    private static readonly string[] s_names = Enum.GetNames<CancelRefusal>();
    private readonly long[] _counts = new long[s_names.Length];

    /// <summary>All refused intents (a report's figure: it sums every reason).</summary>
    public long Total => Reasons.Values.Sum();

    /// <summary>Refused intents by reason (the <see cref="CancelRefusal"/> name); reasons never seen are left out.</summary>
    public IReadOnlyDictionary<string, long> Reasons
    {
        get
        {
            var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < _counts.Length; i++)
            {
                if (Volatile.Read(ref _counts[i]) is var count and > 0)
                {
                    reasons[s_names[i]] = count;
                }
            }

            return reasons;
        }
    }

    /// <summary>Counts one refused intent; any thread.</summary>
    public void Count(CancelRefusal refusal) => Interlocked.Increment(ref _counts[(int)refusal]);
}
