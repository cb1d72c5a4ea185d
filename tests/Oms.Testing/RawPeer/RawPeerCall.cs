namespace Oms.Testing.RawPeer;

/// <summary>A complete request as the raw peer's reply policy sees it.</summary>
/// <param name="ConnectionIndex">Which accepted connection (from 0).</param>
/// <param name="StreamId">The request's stream.</param>
/// <param name="RequestNumber">The request's number on its connection (from 1).</param>
internal readonly record struct RawPeerCall(int ConnectionIndex, int StreamId, long RequestNumber);
