using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Oms.WorkerSample;

namespace Oms.Extensions.Hosting.Tests.Samples;

/// <summary>The worker sample runs against the simulator, and Prometheus can scrape the engine's counters from it.</summary>
[Collection(ProcessMeters.Name)]
public sealed partial class WorkerSampleTests
{
    [Fact]
    public async Task WorkerSample_AgainstTheSimulator_PrometheusEndpointShowsTheEngineCounters()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        venue.Book.SeedGenerated(40, "BTC-PERP");
        var port = FreePort();
        var host = WorkerSampleHost.Build(
        [
            $"--engine:baseUrl={venue.BaseUri.ToString().TrimEnd('/')}",
            $"--engine:accountGroup={venue.Credentials.AccountGroup}",
            $"--engine:credentials:apiKey={venue.Credentials.ApiKey}",
            $"--engine:credentials:apiSecret={venue.Credentials.ApiSecret}",
            "--strategy:intervalMs=200",
            $"--metrics:port={port}",
        ]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var metrics = "";
        try
        {
            await host.StartAsync().WaitAsync(EngineHosts.Bound);
            var scraped = await Waiting.WaitUntilAsync(
                () =>
                {
                    metrics = http.GetStringAsync(new Uri($"http://localhost:{port}/metrics")).GetAwaiter().GetResult();
                    return Value(metrics, "oms_engine_acked") >= 40;
                },
                EngineHosts.Bound);

            Assert.True(scraped, metrics);
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }

        Assert.True(venue.Stats.Acked + venue.Stats.BatchOrders >= 40, "the venue acknowledged fewer cancels than it had orders");
        Assert.True(Value(metrics, "oms_engine_intents") >= 40, metrics);
        Assert.True(Value(metrics, "oms_engine_requests") > 0, metrics);
        Assert.True(Value(metrics, "oms_transport_connections_opened") > 0, metrics);
    }

    // The exporter adds _total to counters and may add the unit; a sample line is `name{labels} value [timestamp]`.
    private static double Value(string metrics, string name)
    {
        var total = 0.0;
        foreach (Match match in SampleLine().Matches(metrics))
        {
            if (match.Groups["name"].Value == name || match.Groups["name"].Value == name + "_total")
            {
                total += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>[-+0-9.eE]+|NaN)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
