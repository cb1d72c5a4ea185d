using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Oms.Cli.Tests.Commands;

public sealed partial class VenueCommandTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Run_GivenCredentials_PrintsUrlAndKeyButNeverTheSecretThenStopsOnCancel()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        const string secret = "s3cr3t-that-must-not-print-0123456789";

        var run = CommandRunner.RunAsync(
            ["venue", "--port", "0", "--api-key", "K1", "--api-secret", secret, "--account-group", "4", "--seed-orders", "5"],
            SyncWriter(output), error, stop.Token);
        var url = await WaitForUrlAsync(output);
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var stats = await http.GetStringAsync(new Uri(url, "/stats"));
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(s_bound);

        Assert.Equal(0, exitCode);
        Assert.Contains("\"streams\": 0", stats, StringComparison.Ordinal);
        var printed = output.ToString();
        Assert.Contains("api key:       K1", printed, StringComparison.Ordinal);
        Assert.Contains("account group: 4", printed, StringComparison.Ordinal);
        Assert.Contains("seeded 5 open BTC-PERP orders", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Stopped.", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoCredentials_PrintsGeneratedDemoCredentialsAndWritesOrdersAndCa()
    {
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var orders = Path.GetTempFileName();
        var ca = Path.GetTempFileName();
        try
        {
            var run = CommandRunner.RunAsync(
                ["venue", "--port", "0", "--tls", "--seed-orders", "3", "--orders-out", orders, "--ca-out", ca],
                SyncWriter(output), TextWriter.Null, stop.Token);
            var url = await WaitForUrlAsync(output);
            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(s_bound));

            Assert.Equal("https", url.Scheme);
            Assert.Matches("api secret:    [A-Za-z0-9]{64}   \\(generated demo secret\\)", output.ToString());
            var lines = await File.ReadAllLinesAsync(orders);
            Assert.Equal(3, lines.Length);
            Assert.All(lines, line => Assert.Matches("^BTC-PERP a[0-9a-f]{11}U[0-9]{10}[A-Za-z0-9]{9}$", line));
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", await File.ReadAllTextAsync(ca), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(orders);
            File.Delete(ca);
        }
    }

    [Theory]
    [InlineData(new[] { "venue", "--bogus" }, "oms: unknown option '--bogus' (try 'oms venue --help')")]
    [InlineData(new[] { "venue", "--api-key", "K" }, "oms: --api-key, --api-secret and --account-group go together: give all three or none")]
    [InlineData(new[] { "venue", "--cert", "/nonexistent.pem", "--key", "/nonexistent.key", "--tls" }, "oms: cannot read file '/nonexistent.pem'")]
    [InlineData(new[] { "venue", "--server-error", "0.7", "--never-answer", "0.7" }, "oms: The never-answer, server-error, too-many-requests and forbidden shares add up to more than 1.")]
    [InlineData(new[] { "launch" }, "oms: unknown command 'launch' (try 'oms --help')")]
    [InlineData(new[] { "venue", "--settings", "/nonexistent/runtimesettings.json" }, "oms: cannot read settings file '/nonexistent/runtimesettings.json': Could not find a part of the path '/nonexistent/runtimesettings.json'.")]
    public async Task Run_BadUsage_ExitsTwoWithOneLineSayingWhat(string[] args, string expected)
    {
        using var error = new StringWriter();

        var exitCode = await CommandRunner.RunAsync(args, TextWriter.Null, error, CancellationToken.None).WaitAsync(s_bound);

        Assert.Equal(2, exitCode);
        Assert.Equal(expected, error.ToString().TrimEnd());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_SettingsWithABadEngineValue_ExitsTwoNamingItThoughTheVenueNeverReadsIt(bool equalsForm)
    {
        using var error = new StringWriter();
        var settings = Path.GetTempFileName();
        await File.WriteAllTextAsync(settings, """{ "engine": { "ringSize": "lots" } }""");
        try
        {
            string[] args = equalsForm ? ["venue", "--port", "0", "--settings=" + settings] : ["venue", "--port", "0", "--settings", settings];

            var exitCode = await CommandRunner.RunAsync(args, TextWriter.Null, error, CancellationToken.None).WaitAsync(s_bound);

            Assert.Equal(2, exitCode);
            Assert.Equal($"oms: {settings}:1:15: 'engine.ringSize' must be a power of two between 2 and 16777216, not \"lots\"", error.ToString().TrimEnd());
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Fact]
    public async Task Run_PortAlreadyInUse_ExitsTwoWithOneLine()
    {
        using var error = new StringWriter();
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var exitCode = await CommandRunner.RunAsync(["venue", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TextWriter.Null, error, CancellationToken.None).WaitAsync(s_bound);

        Assert.Equal(2, exitCode);
        Assert.Equal($"oms: cannot listen on 127.0.0.1:{port}: the address is already in use (choose another --port, or 0 for a free one)", error.ToString().TrimEnd());
    }

    [Fact]
    public async Task Run_CertificateFileNotPem_ExitsTwoWithOneLine()
    {
        using var error = new StringWriter();
        var junk = Path.GetTempFileName();
        await File.WriteAllTextAsync(junk, "not a PEM file\n");
        try
        {
            var exitCode = await CommandRunner.RunAsync(["venue", "--port", "0", "--tls", "--cert", junk, "--key", junk], TextWriter.Null, error, CancellationToken.None).WaitAsync(s_bound);

            Assert.Equal(2, exitCode);
            Assert.StartsWith($"oms: cannot load the TLS certificate '{junk}' with key '{junk}': ", error.ToString(), StringComparison.Ordinal);
            Assert.Single(error.ToString().TrimEnd().Split('\n'));
        }
        finally
        {
            File.Delete(junk);
        }
    }

    [Fact]
    public async Task Run_UnexpectedException_OneLineNamingItsTypeExitFiveAndTheSecretRedacted()
    {
        // An output that fails is a stand-in for any bug below the command: it must not surface as a stack trace.
        using var error = new StringWriter();
        const string secret = "s3cr3t-in-an-exception-message-0123456789";
        var failing = new FailingWriter($"the terminal went away while printing {secret}");

        var exitCode = await CommandRunner.RunAsync(
            ["venue", "--port", "0", "--api-key", "K1", "--api-secret", secret, "--account-group", "4", "--seed-orders", "1"], failing, error, CancellationToken.None).WaitAsync(s_bound);

        Assert.Equal(5, exitCode);
        Assert.Equal("oms: unexpected error (a bug, please report it): System.InvalidOperationException: the terminal went away while printing ***", error.ToString().TrimEnd());
    }

    [Fact]
    public async Task Run_InterruptedBeforeServing_StopsQuietlyWithExitZero()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await CommandRunner.RunAsync(["venue", "--port", "0"], output, error, new CancellationToken(canceled: true)).WaitAsync(s_bound);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task Run_Help_ListsEveryOptionAndExitsZero()
    {
        using var output = new StringWriter();

        var exitCode = await CommandRunner.RunAsync(["venue", "--help"], output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exitCode);
        foreach (var option in CommandCatalog.Find("venue").Options)
        {
            Assert.Contains(option.Name, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReadOptions_BodyFaultFlags_MapToTheirSharesAndNothingElse()
    {
        var args = OptionValues.Parse(["venue", "--non-json-body", "0.25", "--empty-body", "0.125"]);

        var faults = VenueCommand.ReadOptions(args, RuntimeSettingsFile.Parse("{}", "test")).Faults;

        Assert.Equal(new VenueFaults { NonJsonBodyShare = 0.25, EmptyBodyShare = 0.125 }, faults);
    }

    [Fact]
    public void ReadOptions_AnswerSharesAboveOne_UsageErrorNamingTheShares()
    {
        var args = OptionValues.Parse(["venue", "--truncated-json", "0.5", "--non-json-body", "0.3", "--empty-body", "0.3"]);

        var error = Assert.Throws<UsageException>(() => VenueCommand.ReadOptions(args, RuntimeSettingsFile.Parse("{}", "test")));

        Assert.Contains("non-json-body", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty-body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOptions_MatchingFlags_MapToTheirSettings()
    {
        var args = OptionValues.Parse(["venue", "--fill-before-cancel", "0.05", "--fill-after-ack", "0.02", "--cancel-delay-ms", "7", "--status-delay-ms", "30", "--status-refuses-unknown", "--status-fails"]);

        var options = VenueCommand.ReadOptions(args, RuntimeSettingsFile.Parse("{}", "test"));

        Assert.Equal((0.05, 0.02, 7, false), (options.FillBeforeCancelShare, options.FillAfterAckShare, options.CancelDelayMs, options.StatusLeavesOutUnknownIds));
        Assert.Equal(new VenueFaults { StatusDelayMs = 30, StatusFails = true }, options.Faults);
    }

    [Fact]
    public void ReadOptions_StreamFlags_MapToTheirSettings()
    {
        var args = OptionValues.Parse(["venue", "--stream-drop-share", "0.01", "--stream-close-every", "5000", "--stream-refuse-ms", "250", "--stream-ping-ms", "500"]);

        var options = VenueCommand.ReadOptions(args, RuntimeSettingsFile.Parse("{}", "test"));

        Assert.Equal(new VenueFaults { StreamDropShare = 0.01, StreamCloseEveryN = 5000, StreamRefuseMs = 250 }, options.Faults);
        Assert.Equal(500, options.StreamPingIntervalMs);
    }

    [Fact]
    public void ReadOptions_MassCancelFlags_MapToTheirSettings()
    {
        var args = OptionValues.Parse(["venue", "--batch-wrong-info-share", "0.25", "--cancel-all-survivors", "0.1", "--cancel-all-survivor-window-ms", "500", "--rate-limit", "20"]);

        var options = VenueCommand.ReadOptions(args, RuntimeSettingsFile.Parse("{}", "test"));

        Assert.Equal(new VenueFaults { BatchWrongInfoShare = 0.25, CancelAllSurvivorShare = 0.1, CancelAllSurvivorWindowMs = 500 }, options.Faults);
        Assert.Equal(20, options.RateLimitPerSecond);
    }

    [Fact]
    public void ReadOptions_NoMassCancelFlags_NoFaultsOneSecondWindowNoRateLimit()
    {
        var args = OptionValues.Parse(["venue"]);

        var options = VenueCommand.ReadOptions(args, RuntimeSettingsFile.Parse("{}", "test"));

        Assert.Equal((0.0, 0.0, 1000, 0), (options.Faults.BatchWrongInfoShare, options.Faults.CancelAllSurvivorShare, options.Faults.CancelAllSurvivorWindowMs, options.RateLimitPerSecond));
    }

    [Fact]
    public void ReadOptions_NoMatchingFlags_NoFillsSmallCancelDelayUnknownIdsLeftOut()
    {
        var args = OptionValues.Parse(["venue"]);

        var options = VenueCommand.ReadOptions(args, RuntimeSettingsFile.Parse("{}", "test"));

        Assert.Equal((0.0, 0.0, VenueCommand.DefaultCancelDelayMs, true), (options.FillBeforeCancelShare, options.FillAfterAckShare, options.CancelDelayMs, options.StatusLeavesOutUnknownIds));
        Assert.Equal(VenueFaults.None, options.Faults);
    }

    [Theory]
    [InlineData(new[] { "--fill-before-cancel", "0.6", "--fill-after-ack", "0.6" }, "fill-before-cancel and fill-after-ack shares add up to more than 1")]
    [InlineData(new[] { "--fill-after-ack", "1.5" }, "--fill-after-ack")]
    [InlineData(new[] { "--cancel-delay-ms", "-1" }, "--cancel-delay-ms")]
    [InlineData(new[] { "--status-delay-ms", "-1" }, "--status-delay-ms")]
    [InlineData(new[] { "--stream-drop-share", "1.5" }, "--stream-drop-share")]
    [InlineData(new[] { "--stream-close-every", "-1" }, "--stream-close-every")]
    [InlineData(new[] { "--stream-refuse-ms", "-1" }, "--stream-refuse-ms")]
    [InlineData(new[] { "--stream-ping-ms", "0" }, "--stream-ping-ms")]
    [InlineData(new[] { "--batch-wrong-info-share", "1.5" }, "--batch-wrong-info-share")]
    [InlineData(new[] { "--cancel-all-survivors", "-0.1" }, "--cancel-all-survivors")]
    [InlineData(new[] { "--cancel-all-survivor-window-ms", "-1" }, "--cancel-all-survivor-window-ms")]
    [InlineData(new[] { "--rate-limit", "-1" }, "--rate-limit")]
    [InlineData(new[] { "--rate-limit", "1000001" }, "--rate-limit")]
    public void ReadOptions_MatchingFlagOutOfRange_UsageErrorNamingIt(string[] flags, string expected)
    {
        var args = OptionValues.Parse(["venue", .. flags]);

        var error = Assert.Throws<UsageException>(() => VenueCommand.ReadOptions(args, RuntimeSettingsFile.Parse("{}", "test")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static TextWriter SyncWriter(StringWriter writer) => TextWriter.Synchronized(writer);

    private static async Task<Uri> WaitForUrlAsync(StringWriter output)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_bound)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            var match = UrlPattern().Match(text);
            if (match.Success)
            {
                return new Uri(match.Groups[1].Value);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the venue did not print its URL");
    }

    private sealed class FailingWriter(string message) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void WriteLine(string? value) => throw new InvalidOperationException(message);
    }

    [GeneratedRegex("listening on (\\S+) ")]
    private static partial Regex UrlPattern();
}
