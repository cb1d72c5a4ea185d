using Microsoft.Extensions.Hosting;
using Oms.WorkerSample;

// A worker service: the engine starts and stops with the host; Ctrl+C stops the strategy, then drains the engine.
using var host = WorkerSampleHost.Build(args);
await host.RunAsync();
