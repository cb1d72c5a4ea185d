namespace Oms.Engine.Consumer;

/// <summary>The consumer's retries: a cancel that failed goes again after its back-off, or fails for good.</summary>
internal sealed partial class CancelConsumer
{
    private void Fail(InFlightEntry entry, ref PendingCancel cancel, CancelFailureReason reason)
    {
        if (reason is CancelFailureReason.AuthenticationFailed or CancelFailureReason.PermissionDenied)
        {
            // The venue's own words are what an operator must read.
            OutcomeReporter.DescribeVenueError(entry);
        }

        if (reason == CancelFailureReason.AuthenticationFailed)
        {
            // Stop sending, and fail everything waiting.
            _authenticationFailed = true;
            _counters.OnAuthenticationFailed();
            _outcomes.Finish(ref cancel, Outcome.Failed(reason), entry);
            _queue.FailAll(reason);

            // The same key would be refused for status and stream alike: nothing can settle what waits.
            _confirm?.SettleAll(OrderFate.Unconfirmed);
            return;
        }

        _outcomes.Finish(ref cancel, Outcome.Failed(reason), entry);
    }

    private long BackoffFor(int attempt) => _retryBackoffTicks << Math.Min(attempt - 1, 10);

    /// <summary>
    /// The wait before resending after a retryable venue answer: the doubling back-off, or the answer's
    /// <c>retry-after</c> when that is longer. A <c>retry-after</c> also holds every send until it has passed: the
    /// venue limits the account, not the one request, so other cancels sent meanwhile would only be refused again.
    /// </summary>
    private long VenueBackoff(InFlightEntry entry, int attempt)
    {
        var backoff = BackoffFor(attempt);
        if (entry.RetryAfterSeconds < 0)
        {
            return backoff;
        }

        var retryAfter = entry.RetryAfterSeconds * Stopwatch.Frequency;
        _counters.OnRetryAfterHonoured();
        _queue.Hold(Stopwatch.GetTimestamp(), retryAfter);
        return Math.Max(backoff, retryAfter);
    }

    private void RetryOrFail(ref PendingCancel cancel, CancelFailureReason reason, long backoffTicks, InFlightEntry entry)
    {
        var now = Stopwatch.GetTimestamp();

        // A re-sign is the same attempt with a fresh timestamp, not a retry of a lost request, so it spends no attempt.
        // Attempt itself keeps counting sends: a re-signed cancel must still read as sent (WasSent) to the gate and
        // the state table.
        var attemptsUsed = cancel.ReSigned ? cancel.Attempt - 1 : cancel.Attempt;
        if (_authenticationFailed || Volatile.Read(ref _stopRequested) != 0
            || attemptsUsed > _settings.RetryAttempts
            || now + backoffTicks - cancel.PublishTicks > _expiryTicks)
        {
            _outcomes.Finish(ref cancel, Outcome.Failed(reason), entry);
            return;
        }

        cancel.LastFailure = reason;
        cancel.DueTicks = now + backoffTicks;
        if (!_queue.TryResend(in cancel, backoffTicks))
        {
            _outcomes.Finish(ref cancel, Outcome.Failed(reason), entry);
        }
    }
}
