using System.Globalization;
using Microsoft.AspNetCore.Http;
using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>The checks every private REST request meets before its body or query is read, in the contract's order.</summary>
/// <remarks>Shared by the cancel, order status and open-orders endpoints, so each refuses a bad request the same way.</remarks>
internal static class RequestChecks
{
    /// <summary>The first check the request fails, with the message the venue answers; null when it passes them all.</summary>
    public static (VenueCheck Check, string Message)? FirstFailure(
        HttpRequest request, VenueCredentials credentials, string accountGroup, string method, SignatureVerifier signatures, long nowMs)
    {
        if (!string.Equals(accountGroup, credentials.AccountGroup, StringComparison.Ordinal))
        {
            return (VenueCheck.AccountGroup, $"Unknown account group '{accountGroup}'.");
        }

        if (!string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase))
        {
            return (VenueCheck.Method, $"Method {request.Method} is not allowed here; use {method}.");
        }

        var apiKey = request.Headers["x-auth-key"].ToString();
        if (apiKey.Length == 0)
        {
            return (VenueCheck.MissingApiKey, "Missing header x-auth-key.");
        }

        if (!string.Equals(apiKey, credentials.ApiKey, StringComparison.Ordinal))
        {
            return (VenueCheck.UnknownApiKey, "Invalid API key.");
        }

        var timestamp = request.Headers["x-auth-timestamp"].ToString();
        if (timestamp.Length != 13 || !timestamp.AsSpan().ContainsOnlyAsciiDigits())
        {
            return (VenueCheck.MalformedTimestamp, "Header x-auth-timestamp must be 13 digits of UTC milliseconds.");
        }

        if (Math.Abs(nowMs - long.Parse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture)) > VenueServer.TimeWindowMs)
        {
            return (VenueCheck.StaleTimestamp, "Header x-auth-timestamp is more than 30 seconds from server time.");
        }

        // The prehash is the endpoint's short name, never the query string (facts sheet, "Authentication").
        if (!signatures.Verify(timestamp, request.Headers["x-auth-signature"].ToString()))
        {
            return (VenueCheck.BadSignature, "API signature mismatch");
        }

        return null;
    }
}
