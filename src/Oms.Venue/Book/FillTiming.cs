namespace Oms.Venue.Book;

/// <summary>When a filled order filled, relative to the cancel that raced it.</summary>
public enum FillTiming
{
    /// <summary>The order did not fill.</summary>
    None,

    /// <summary>It filled before its cancel arrived; the cancel was answered 300006.</summary>
    BeforeCancel,

    /// <summary>It filled after its cancel was acknowledged, before the cancel took effect.</summary>
    AfterAck,
}
