using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Oms.Engine;
using Oms.Extensions.Hosting;

namespace Oms.WorkerSample;

/// <summary>The host of the worker sample: the engine from configuration, a strategy, a health check, Prometheus metrics.</summary>
public static class WorkerSampleHost
{
    /// <summary>Builds the host from <c>appsettings.json</c>, environment variables and <paramref name="args"/> (<c>--engine:baseUrl=...</c>).</summary>
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);

        // The engine first: hosted services start in order and stop in reverse, so the strategy stops before the engine drains.
        builder.Services.AddCancelEngine(builder.Configuration.GetSection("engine"));
        builder.Services.AddSingleton<ICancelListener, OutcomeTally>();
        builder.Services.AddHostedService<OpenOrderSweeper>();
        builder.Services.AddHealthChecks().AddCancelEngineCheck();

        var port = builder.Configuration.GetValue("metrics:port", 9464);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CancelEngineMeters.Engine, CancelEngineMeters.Transport)
            .AddPrometheusHttpListener(options => options.Port = port));
        return builder.Build();
    }
}
