namespace Oms.Engine.Tests.Faults;

/// <summary>
/// Secrets never reach text: a run through every fault the venue can inject, with the right secret and then a wrong
/// one, and every exception thrown anywhere in the process meanwhile, every listener text, every counter read and the
/// engine's own exceptions are searched for the API secret and for each signature the run could have sent.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class SecretsTests
{
    [Fact]
    public async Task FullRunThroughEveryFault_NoExceptionListenerTextOrCounterEverHoldsTheSecretOrASignature()
    {
        var texts = new ConcurrentQueue<string>();
        void Capture(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) => texts.Enqueue(e.Exception.ToString());
        var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var secret = VenueCredentials.Generate().ApiSecret;
        var credentials = new VenueCredentials(VenueCredentials.Generate().ApiKey, secret, "7");
        AppDomain.CurrentDomain.FirstChanceException += Capture;
        try
        {
            var faults = new VenueFaults
            {
                ServerErrorShare = 0.03, TooManyRequestsShare = 0.03, ForbiddenShare = 0.02, NeverAnswerShare = 0.02,
                WrongIdShare = 0.03, TruncatedJsonShare = 0.03, NonJsonBodyShare = 0.02, EmptyBodyShare = 0.02,
                ResetEveryNStreams = 97, GoAwayEveryNStreams = 61,
            };
            await using (var run = await VenueRun.StartAsync(
                new VenueOptions { Credentials = credentials, Faults = faults },
                s => s with { RequestTimeout = TimeSpan.FromMilliseconds(300) }))
            {
                run.CancelAll(run.Seed(400));
                await run.WaitForOutcomesAsync();
                texts.Enqueue(run.Engine.GetCounters().ToString());
                foreach (var outcome in run.Listener.Outcomes.Values)
                {
                    texts.Enqueue(outcome.ToString());
                }
            }

            // The venue's clock 40 s ahead: every answer is 100011, re-signed once.
            await using (var run = await VenueRun.StartAsync(new VenueOptions { Credentials = credentials, Faults = new VenueFaults { ClockOffsetMs = 40_000 } }))
            {
                run.CancelAll(run.Seed(20));
                await run.WaitForOutcomesAsync();
                texts.Enqueue(run.Engine.GetCounters().ToString());
                texts.Enqueue(string.Join("\n", run.Listener.Outcomes.Values));
            }

            // The venue refuses the secret: 200001, and later intents refused at the call.
            await using (var run = await VenueRun.StartAsync(
                new VenueOptions { Credentials = credentials },
                credentials: venue => new ApiCredentials(venue.Credentials.ApiKey, secret + "x")))
            {
                // Once the first 200001 is in, later intents are refused at the call: which of these get in is a race.
                var orders = run.Seed(20);
                _ = orders.Select(o => run.TryCancel(o)).ToArray();
                await run.WaitForOutcomesAsync();
                texts.Enqueue(run.Engine.GetCounters().ToString());
                texts.Enqueue(string.Join("\n", run.Listener.Outcomes.Values));
            }

            // The engine's own exceptions, thrown to the caller: a TLS venue whose certificate nothing trusts.
            await using (var tls = await VenueServer.StartAsync(new VenueOptions { Credentials = credentials, UseTls = true }))
            {
                var refused = await Assert.ThrowsAnyAsync<Exception>(() => CancelEngine.StartAsync(
                    VenueRun.SettingsFor(tls), new ApiCredentials(credentials.ApiKey, secret), new RecordingListener()).WaitAsync(FakeEngine.Bound));
                texts.Enqueue(refused.ToString());
            }

            texts.Enqueue(new ApiCredentials(credentials.ApiKey, secret).ToString() ?? "");
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Capture;
        }

        var endMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var everything = string.Join("\n", texts);
        Assert.True(texts.Count > 100, $"Only {texts.Count} texts captured: the faults did not run.");
        Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);

        // Every signature the run could have sent: one per millisecond it lasted (plus the one prepared ahead).
        var key = Encoding.UTF8.GetBytes(secret);
        var leaked = new List<string>();
        for (var ms = startMs - 1; ms <= endMs + 1; ms++)
        {
            var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(ms.ToString(System.Globalization.CultureInfo.InvariantCulture) + "+order")));
            if (everything.Contains(signature, StringComparison.Ordinal))
            {
                leaked.Add(signature);
            }
        }

        Assert.Empty(leaked);
    }
}
