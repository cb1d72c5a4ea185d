using Microsoft.Extensions.Hosting;
using Oms.WorkerSample;

// A worker service: the engine starts and stops with the host; Ctrl+C stops the strategy, then drains the engine.
// RunAsync disposes the host when it ends.
await WorkerSampleHost.Build(args).RunAsync();
