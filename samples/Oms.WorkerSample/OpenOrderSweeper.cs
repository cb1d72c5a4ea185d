using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oms.Engine;
using Oms.Extensions.Hosting;

namespace Oms.WorkerSample;

/// <summary>
/// The sample's strategy: every <c>strategy:intervalMs</c>, lists the account's open orders of <c>strategy:symbol</c>
/// and cancels each (a risk-off sweeper). Real strategies cancel what their own signals say; the engine calls are the same.
/// </summary>
internal sealed partial class OpenOrderSweeper(HostedCancelEngine hosted, IConfiguration configuration, ILogger<OpenOrderSweeper> logger) : BackgroundService
{
    private readonly string _symbol = configuration.GetValue("strategy:symbol", "BTC-PERP")!;
    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(configuration.GetValue("strategy:intervalMs", 1000));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Hosted services are built before any starts: the engine exists once the host has started it.
        var engine = await hosted.WaitForStartAsync(stoppingToken);
        using var timer = new PeriodicTimer(_interval);
        long tag = 0;
        do
        {
            try
            {
                var open = await engine.ReconcileAsync(stoppingToken);
                var sent = 0;
                foreach (var order in open)
                {
                    if (order.Symbol == _symbol && engine.TryCancel(order.OrderId, order.Symbol, ++tag, out _))
                    {
                        sent++;
                    }
                }

                if (sent > 0)
                {
                    LogSwept(logger, sent, _symbol);
                }
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TimeoutException)
            {
                // The engine's alarms say what is wrong with the venue; the sweep tries again next interval.
                LogSweepFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} cancels for the open orders of {Symbol}")]
    private static partial void LogSwept(ILogger logger, int count, string symbol);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing the open orders failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
