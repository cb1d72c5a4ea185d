namespace Oms.Engine.Consumer;

/// <summary>The consumer's share of order fates: the stream's comings and goings, the deadlines, the status queries it sends.</summary>
internal sealed partial class CancelConsumer
{
    /// <summary>
    /// Takes in the stream's comings and goings, gives the fates past their deadline, and asks the venue about the
    /// orders due, while the limiter has a token to spare and no cancel waits: cancels first.
    /// </summary>
    private void ServeConfirmations(long now)
    {
        var confirm = _confirm!;
        if (_notes is not null && _notes.Changes != _streamChanges)
        {
            _streamChanges = _notes.Changes;
            var gaps = _notes.Gaps;
            if (gaps != _streamGaps)
            {
                _streamGaps = gaps;
                confirm.OnStreamGap();
            }

            if (_notes.IsLive)
            {
                confirm.OnStreamLive();
            }
        }

        confirm.Advance(now);
        // A venue's retry-after holds every request, not only the cancels: the account is what it limits.
        while (confirm.HasRequestToSend && !_queue.HasWaiting && !_queue.IsHeld(now) && _credentialsProven && !_authenticationFailed
            && (_limiter.IsUnlimited || _limiter.AvailableTokens(now) >= _statusTokenReserve))
        {
            var entry = _dispatch.NextFreeEntry();
            if (entry is null)
            {
                return;
            }

            var request = confirm.TakeRequest()!;
            if (!_limiter.TryTake(now) || !_dispatch.TrySendStatus(entry, request))
            {
                confirm.Unsent(request);
                return;
            }

            _counters.OnStatusRequest();
        }
    }
}
