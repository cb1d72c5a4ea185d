namespace Oms.Engine.Venues.AscendEx;

/// <summary>A venue query the venue answered with an error, or with a body that is not the documented shape.</summary>
internal sealed class VenueQueryException(long code, string message) : Exception(message)
{
    /// <summary>The answer's <c>code</c> (200001: the credentials were refused); -1 when it had none.</summary>
    public long Code { get; } = code;
}
