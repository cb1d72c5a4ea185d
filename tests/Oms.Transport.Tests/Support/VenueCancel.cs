namespace Oms.Transport.Tests.Support;

/// <summary>One signed cancel for the venue, as the bytes the transport sends.</summary>
/// <param name="RequestId">The 32-character request id in the body, which the venue echoes.</param>
/// <param name="OrderId">The order to cancel.</param>
/// <param name="Timestamp">The value of <c>x-auth-timestamp</c>: 13 ASCII digits of Unix milliseconds.</param>
/// <param name="Signature">The value of <c>x-auth-signature</c>: Base64 of HMAC-SHA256 over <c>"&lt;ts&gt;+order"</c>.</param>
/// <param name="Body">The JSON body.</param>
internal sealed record VenueCancel(string RequestId, string OrderId, byte[] Timestamp, byte[] Signature, byte[] Body);
