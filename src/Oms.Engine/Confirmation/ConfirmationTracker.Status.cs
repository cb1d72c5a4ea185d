namespace Oms.Engine.Confirmation;

/// <summary>
/// Asking the venue by status: filling a request with the orders due, taking them back when it was not sent, and
/// reading its answer order by order.
/// </summary>
internal sealed partial class ConfirmationTracker
{
    /// <summary>Whether orders wait to be asked and a request slot is free.</summary>
    public bool HasRequestToSend
    {
        get
        {
            if (_ask.Count == 0)
            {
                return false;
            }

            foreach (var request in _requests)
            {
                if (!request.InUse)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Fills a free request slot with the next orders to ask; null when none wait or no slot is free.</summary>
    public StatusRequest? TakeRequest()
    {
        if (_ask.Count == 0)
        {
            return null;
        }

        StatusRequest? request = null;
        foreach (var candidate in _requests)
        {
            if (!candidate.InUse)
            {
                request = candidate;
                break;
            }
        }

        if (request is null)
        {
            return null;
        }

        request.InUse = true;
        request.Count = 0;
        request.Failed = false;
        request.BodyLength = 0;
        while (_ask.Head >= 0 && request.Count < request.Ids.Length)
        {
            var index = _ask.Head;
            _schedule.Remove(ref _ask, index);
            _records[index].List = InRequest;
            _records[index].Request = request;
            request.Ids[request.Count] = _records[index].OrderId;
            request.Records[request.Count] = index;
            request.Count++;
        }

        request.QueryLength = OrderStatusQuery.WriteQuery(request.Ids.AsSpan(0, request.Count), request.Query);
        return request;
    }

    /// <summary>The transport refused the request: its orders wait to be asked again, first.</summary>
    public void Unsent(StatusRequest request)
    {
        for (var i = request.Count - 1; i >= 0; i--)
        {
            var index = request.Records[i];
            if (IsIn(index, request))
            {
                _records[index].List = InNone;
                _records[index].Request = null;
                Enlist(ref _ask, index, InAsk);
            }
        }

        request.InUse = false;
    }

    /// <summary>The answer to <paramref name="request"/> (or its failure) is in: each order asked is settled or rescheduled.</summary>
    public void OnAnswer(StatusRequest request, long now)
    {
        var count = 0;
        var parsed = !request.Failed && request.HttpStatus == 200
            && OrderStatusQuery.TryParseAnswer(request.Body.AsSpan(0, request.BodyLength), _items, out count, out var code)
            && code == 0;
        if (!parsed)
        {
            _counters.OnStatusFailure();
            count = 0;
        }

        for (var i = 0; i < request.Count; i++)
        {
            var index = request.Records[i];
            if (!IsIn(index, request))
            {
                // Settled meanwhile (the stream, the deadline, a stop): the answer is only late news.
                continue;
            }

            _records[index].List = InNone;
            _records[index].Request = null;
            if (!parsed)
            {
                Enlist(ref _recheck, index, InRecheck, now + _recheckTicks);
                continue;
            }

            ApplyStatusAnswer(index, Find(request.Ids[i].Span, count), now);
        }

        request.InUse = false;
    }

    private bool IsIn(int index, StatusRequest request) =>
        _records[index].List == InRequest && ReferenceEquals(_records[index].Request, request);

    private VenueOrderStatus? Find(ReadOnlySpan<byte> orderId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (_items[i].OrderId.Span.SequenceEqual(orderId))
            {
                return _items[i].Status;
            }
        }

        return null;
    }

    private void ApplyStatusAnswer(int index, VenueOrderStatus? status, long now)
    {
        ref var record = ref _records[index];
        switch (status)
        {
            case null:
                // Asked and left out of a successful answer: the venue knows no such order.
                Settle(index, OrderFate.NotFound, now);
                return;
            case VenueOrderStatus.Canceled or VenueOrderStatus.Filled or VenueOrderStatus.Rejected:
                Settle(index, FateOfFinal(status.Value), now);
                return;
            case VenueOrderStatus.New or VenueOrderStatus.PartiallyFilled or VenueOrderStatus.PendingNew when !record.Acked:
                // The cancel was refused, failed or expired, and the order rests: the cancel did not take.
                Settle(index, OrderFate.Open, now);
                return;
            case VenueOrderStatus.New or VenueOrderStatus.PartiallyFilled or VenueOrderStatus.PendingNew:
                // Acked but not yet acted on: ask again; still open at the deadline, it is Open.
                record.SeenOpen = true;
                Enlist(ref _recheck, index, InRecheck, now + _recheckTicks);
                return;
            default:
                Enlist(ref _recheck, index, InRecheck, now + _recheckTicks);
                return;
        }
    }
}
