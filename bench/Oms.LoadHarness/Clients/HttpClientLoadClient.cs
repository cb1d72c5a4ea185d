using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Oms.Engine.Sequencing;
using Oms.Load;
using Oms.LoadHarness.Load;
using Oms.LoadHarness.Venue;

namespace Oms.LoadHarness.Clients;

/// <summary>
/// The yardstick, written the way a strategy author would without Oms: one persistent <see cref="HttpClient"/>
/// over <see cref="SocketsHttpHandler"/> speaking HTTP/2, and per cancel <see cref="HMACSHA256.HashData(byte[], byte[])"/>,
/// <see cref="JsonSerializer"/> for the body and <see cref="JsonDocument"/> for the answer.
/// </summary>
/// <remarks>
/// Same concurrency as the engine: as many connections, at most the venue's stream limit on each
/// (<c>MaxConnectionsPerServer</c> caps the HTTP/2 connections once several are allowed); the flat-out run keeps
/// exactly that many requests in flight. The one-in-flight run awaits each cancel before sending the next, as
/// an <c>async</c> strategy would; it has no wait strategy to choose, so it has no run in a latency configuration.
/// </remarks>
internal sealed class HttpClientLoadClient : ILoadClient
{
    private readonly HttpClient _client;
    private readonly Uri _cancelUri;
    private readonly byte[] _secret;
    private readonly string _apiKey;
    private readonly int _concurrency;
    private PhaseRecorder? _recorder;

    public HttpClientLoadClient(HarnessOptions options, VenueProcess venue)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseProxy = false,
            UseCookies = false,
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        _cancelUri = new Uri(venue.BaseUri, "/" + venue.AccountGroup + "/api/pro/v1/futures/order");
        _secret = Encoding.UTF8.GetBytes(venue.ApiSecret);
        _apiKey = venue.ApiKey;
        _concurrency = options.Concurrency;
    }

    public string Name => "httpclient";

    public bool HasWaitStrategy => false;

    public WaitStrategyKind? WaitStrategyFor(PhaseSpec spec) => null;

    public Task PrepareAsync(PhaseSpec spec, PhaseRecorder recorder)
    {
        _recorder = recorder;
        return Task.CompletedTask;
    }

    public async Task<int> DriveAsync(PhaseSpec spec, PhaseRecorder recorder)
    {
        switch (spec.Kind)
        {
            case PhaseKind.Steady:
                return await DedicatedThread.Run("harness-strategy", () => Pacer.Run(spec.Rate, spec.SteadyCount, FireAndForget)).ConfigureAwait(false);
            case PhaseKind.Mass:
                return await DedicatedThread.Run("harness-strategy", () => Pacer.Run(0, spec.Count, FireAndForget)).ConfigureAwait(false);
            case PhaseKind.OneInFlight:
                int total = Math.Min(spec.Capacity, spec.OneInFlightTotal);
                for (int tag = 0; tag < total; tag++)
                {
                    // SendAsync ends every cancel in an outcome (HttpClient's own timeout included), so awaiting it
                    // is waiting for the outcome.
                    await SendAsync(tag).ConfigureAwait(false);
                }

                return total;
            default:
                long end = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(spec.Seconds * System.Diagnostics.Stopwatch.Frequency);
                int next = -1;
                var workers = new Task[_concurrency];
                for (int i = 0; i < workers.Length; i++)
                {
                    workers[i] = Task.Run(async () =>
                    {
                        while (System.Diagnostics.Stopwatch.GetTimestamp() < end)
                        {
                            int tag = Interlocked.Increment(ref next);
                            if (tag >= spec.Capacity)
                            {
                                return;
                            }

                            await SendAsync(tag).ConfigureAwait(false);
                        }
                    });
                }

                await Task.WhenAll(workers).ConfigureAwait(false);
                return Math.Min(Volatile.Read(ref next) + 1, spec.Capacity);
        }
    }

    public Task<ClientFacts> FinishAsync(PhaseSpec spec, int issued, PhaseRecorder recorder)
    {
        _recorder = null;
        return Task.FromResult(new ClientFacts { Requests = issued });
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool FireAndForget(int tag)
    {
        _ = SendAsync(tag);
        return true;
    }

    // Never throws: every cancel ends as an outcome in the recorder.
    private async Task SendAsync(int tag)
    {
        PhaseRecorder recorder = _recorder!;
        recorder.OnIssued(tag);
        try
        {
            string orderId = recorder.Orders.OrderOf(tag);
            string symbol = recorder.Orders.Symbol;
            long time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            string timestamp = time.ToString(CultureInfo.InvariantCulture);
            string signature = Convert.ToBase64String(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(timestamp + "+order")));
            string id = Guid.NewGuid().ToString("N");
            string body = JsonSerializer.Serialize(new { id, orderId, symbol, time });

            using var request = new HttpRequestMessage(HttpMethod.Delete, _cancelUri)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-auth-key", _apiKey);
            request.Headers.Add("x-auth-timestamp", timestamp);
            request.Headers.Add("x-auth-signature", signature);

            using HttpResponseMessage response = await _client.SendAsync(request).ConfigureAwait(false);
            string answer = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                recorder.NoteProblem($"HTTP {(int)response.StatusCode}: {answer[..Math.Min(answer.Length, 200)]}");
                recorder.Complete(tag, OutcomeKind.Failed);
                return;
            }

            Classify(recorder, tag, answer, id, orderId);
        }
#pragma warning disable CA1031 // Any failure is this cancel's outcome, reported by the harness.
        catch (Exception e)
#pragma warning restore CA1031
        {
            recorder.NoteProblem($"{e.GetType().Name}: {e.Message}");
            recorder.Complete(tag, OutcomeKind.Failed);
        }
    }

    private static void Classify(PhaseRecorder recorder, int tag, string answer, string id, string orderId)
    {
        using JsonDocument document = JsonDocument.Parse(answer);
        JsonElement root = document.RootElement;
        long code = root.GetProperty("code").GetInt64();
        if (code == 0 && root.TryGetProperty("data", out JsonElement data) && data.GetProperty("status").GetString() == "Ack")
        {
            JsonElement info = data.GetProperty("info");
            recorder.Complete(tag, OutcomeKind.Acked, info.GetProperty("orderId").GetString() == orderId, info.GetProperty("id").GetString() == id);
        }
        else if (code != 0)
        {
            bool echoed = !root.TryGetProperty("info", out JsonElement info) || !info.TryGetProperty("id", out JsonElement echoedId) || echoedId.GetString() == id;
            if (code != EngineListener.AlreadyCanceledCode)
            {
                recorder.NoteProblem($"rejected: {answer}");
            }

            recorder.Complete(tag, OutcomeKind.Rejected, echoedIdMatches: echoed, rejectionExpected: code == EngineListener.AlreadyCanceledCode);
        }
        else
        {
            recorder.NoteProblem($"unknown answer: {answer}");
            recorder.Complete(tag, OutcomeKind.Failed);
        }
    }
}
