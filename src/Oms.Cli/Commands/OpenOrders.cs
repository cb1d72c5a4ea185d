using Oms.Engine;
using Oms.Engine.Confirmation;
using Oms.Engine.Signing;

namespace Oms.Cli.Commands;

/// <summary>
/// Asks the venue which orders of the account are open (<c>oms load --open-orders</c>): the engine's one-off signed
/// query, off its path, trusting the system store or the pinned CA as the engine does.
/// </summary>
internal static class OpenOrders
{
    public static async Task<IReadOnlyList<(string Symbol, string OrderId)>> FetchAsync(
        CancelEngineSettings settings, ApiCredentials credentials, CancellationToken stop) =>
        [.. (await VenueQueries.OpenOrdersAsync(settings, credentials, stop).ConfigureAwait(false)).Select(order => (order.Symbol, order.OrderId))];
}
