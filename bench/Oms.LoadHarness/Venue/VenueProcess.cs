using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Oms.Load;

namespace Oms.LoadHarness.Venue;

/// <summary>
/// The venue simulator as a separate process (<c>dotnet exec oms.dll venue ...</c>): started with generated
/// credentials and seeded orders, found by the URL it prints, and always killed at the end within a bounded wait.
/// </summary>
/// <remarks>
/// A separate process so that the clients' CPU and allocation figures, read from this process, never include
/// the venue's work.
/// </remarks>
internal sealed partial class VenueProcess : IAsyncDisposable
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly string _workDirectory;
    private readonly HttpClient _statsClient;
    private int _disposed;

    private VenueProcess(Process process, string workDirectory, Uri baseUri, string apiKey, string apiSecret, string accountGroup, string[] orders, string symbol)
    {
        _process = process;
        _workDirectory = workDirectory;
        BaseUri = baseUri;
        ApiKey = apiKey;
        ApiSecret = apiSecret;
        AccountGroup = accountGroup;
        Orders = orders;
        Symbol = symbol;
        _statsClient = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Uri BaseUri { get; }

    public string ApiKey { get; }

    public string ApiSecret { get; }

    public string AccountGroup { get; }

    /// <summary>The seeded open orders, in the order the venue wrote them.</summary>
    public string[] Orders { get; }

    /// <summary>The seeded orders' symbol.</summary>
    public string Symbol { get; }

    /// <summary>The venue's process id, for the report.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the venue and waits until it has seeded its orders and printed its URL.</summary>
    /// <exception cref="InvalidOperationException">The venue exited or did not print its URL in time; the message carries its stderr.</exception>
    public static async Task<VenueProcess> StartAsync(string omsDll, int seedOrders, int maxConcurrentStreams, TextWriter log, IReadOnlyList<string>? extraArguments = null)
    {
        string workDirectory = Directory.CreateTempSubdirectory("oms-harness-").FullName;
        string ordersFile = Path.Combine(workDirectory, "orders.txt");
        string apiKey = RandomNumberGenerator.GetString(Alphanumerics, 32);
        string apiSecret = RandomNumberGenerator.GetString(Alphanumerics, 64);
        string group = RandomNumberGenerator.GetInt32(1, 10).ToString(CultureInfo.InvariantCulture);

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        foreach (string argument in (string[])
            ["exec", omsDll, "venue", "--port", "0", "--api-key", apiKey, "--api-secret", apiSecret, "--account-group", group,
             "--seed-orders", seedOrders.ToString(CultureInfo.InvariantCulture), "--orders-out", ordersFile,
             "--max-concurrent-streams", maxConcurrentStreams.ToString(CultureInfo.InvariantCulture), .. extraArguments ?? []])
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var url = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && ListeningOn().Match(line) is { Success: true } match)
            {
                url.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                }
            }
        };
        process.Exited += (_, _) => url.TrySetException(new InvalidOperationException($"The venue exited with code {SafeExitCode(process)} before printing its URL."));

        log.WriteLine($"starting the venue: dotnet exec {omsDll} venue --port 0 --seed-orders {seedOrders} {string.Join(' ', extraArguments ?? [])} ...");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Uri baseUri = await url.Task.WaitAsync(s_startTimeout).ConfigureAwait(false);
            List<(string Symbol, string OrderId)> lines = OrderIdsFile.Read(ordersFile);
            string symbol = lines.Count > 0 ? lines[0].Symbol : "BTC-PERP";
            string[] orders = [.. lines.Select(l => l.OrderId)];
            if (orders.Length != seedOrders)
            {
                throw new InvalidOperationException($"The venue wrote {orders.Length} orders, not {seedOrders}.");
            }

            return new VenueProcess(process, workDirectory, baseUri, apiKey, apiSecret, group, orders, symbol);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or FormatException)
        {
            Kill(process);
            string errors;
            lock (stderr)
            {
                errors = stderr.ToString();
            }

            process.Dispose();
            TryDelete(workDirectory);
            throw new InvalidOperationException($"The venue did not start: {e.Message}\n{errors}", e);
        }
    }

    /// <summary>The venue's counters now.</summary>
    public async Task<VenueStats> GetStatsAsync()
    {
        string json = await _statsClient.GetStringAsync(new Uri(BaseUri, "/stats")).ConfigureAwait(false);
        return VenueStats.Parse(json);
    }

    /// <summary>Kills the venue (and anything it started), waits a bounded time for it, and removes its files.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _statsClient.Dispose();
            Kill(_process);
            _process.Dispose();
            TryDelete(_workDirectory);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Kills the process synchronously: for exit paths that cannot await (Ctrl+C, process exit).</summary>
    public void KillNow() => Kill(_process);

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(s_exitTimeout);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone or never started: nothing left to stop.
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    // The muxer that runs this harness when started as "dotnet Oms.LoadHarness.dll", the SDK's when started by
    // "dotnet run", else whatever "dotnet" the PATH finds.
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        string? self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? self : "dotnet";
    }

    [GeneratedRegex(@"listening on (?<url>https?://\S+)")]
    private static partial Regex ListeningOn();
}
