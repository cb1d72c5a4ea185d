using System.Diagnostics.CodeAnalysis;

namespace Oms.Engine.Orders;

/// <summary>Throws for the order-state layer, kept out of line so the hot callers stay small and inlinable.</summary>
internal static class OrdersThrowHelper
{
    [DoesNotReturn]
    public static void ThrowOrderIdLength(int length, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName, length, $"An order id is 1 to {OrderIdKey.MaxLength} ASCII bytes (the exchange's are 32, older ones 31).");

    [DoesNotReturn]
    public static void ThrowIllegalTransition(CancelState from, CancelState to) =>
        throw new ArgumentException(
            $"A cancel cannot move from {from} to {to}: see CancelState for the legal moves.", nameof(to));
}
