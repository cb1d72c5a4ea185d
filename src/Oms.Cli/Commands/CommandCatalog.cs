using System.CommandLine;
using System.CommandLine.Help;
using Oms.Cli.Settings;
using Oms.Cli.Syntax;

namespace Oms.Cli.Commands;

/// <summary>
/// The commands of <c>oms</c> in one table: what the overview lists, what each accepts, what runs it. The parser, the
/// generated help and tab completion all read these definitions; a command declares exactly the options it uses.
/// </summary>
/// <remarks>
/// Values are declared as text and read by <see cref="OptionValues"/>, which checks ranges whose defaults can come
/// from the settings file; the parser checks names, arity and repetition. Definitions are built afresh for each parse,
/// so a run's actions never leak into another's.
/// </remarks>
internal static class CommandCatalog
{
    /// <summary>The names of the commands, in the order the overview lists them.</summary>
    public static readonly IReadOnlyList<string> Names = ["demo", "load", "cancel", "cancel-all", "status", "venue"];

    /// <summary>The exit codes as <c>oms --help</c> lists them (the README's table says more).</summary>
    public static readonly IReadOnlyList<(ExitCode Code, string Meaning)> ExitCodes =
    [
        (ExitCode.Success, "the venue decided every intent (and, when confirming, every fate was confirmed)"),
        (ExitCode.Undecided, "some intent was not decided by the venue (failed, expired, refused, no outcome)"),
        (ExitCode.Usage, "usage or configuration error"),
        (ExitCode.CredentialsRefused, "the venue refused the credentials"),
        (ExitCode.Unreachable, "the venue could not be reached"),
        (ExitCode.Bug, "an unexpected error (a bug)"),
        (ExitCode.Unconfirmed, "some order's fate was not confirmed by the deadline"),
        (ExitCode.Interrupted, "stopped by Ctrl+C (SIGINT)"),
        (ExitCode.Terminated, "stopped by SIGTERM"),
    ];

    /// <summary>
    /// The whole command line's definitions: the commands, with <c>--help</c> (followed by the credentials and the
    /// exit codes), <c>--version</c> (this assembly's), response files and the <c>[suggest]</c> directive.
    /// </summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("oms: the AscendEX cancel engine's demo, its load runs against any venue, cancels by hand, and the venue simulator");
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction generated } help)
            {
                help.Action = new HelpWithNotesAction(generated);
            }
            else if (option is VersionOption version)
            {
                version.Action = new VersionAction();
            }
        }

        root.Add(Demo());
        root.Add(Load());
        root.Add(Cancel());
        root.Add(CancelAll());
        root.Add(Status());
        root.Add(Venue());
        return root;
    }

    /// <summary>One command's definitions, for tests and help: <paramref name="name"/> is one of <see cref="Names"/>.</summary>
    public static OmsCommand Find(string name) => CreateRoot().Subcommands.OfType<OmsCommand>().Single(command => command.Name == name);

    private static OmsCommand Demo() => With(
        new OmsCommand("demo", "the engine against the embedded venue simulator, with a live line and a report", readsCredentials: false, DemoCommand.RunAsync),
        [
            Value("--orders", "N", "cancels to send (default 20000)"),
            Value("--strategies", "S", "strategy threads publishing intents (default 4)"),
            Value("--unknown-share", "SHARE", "share of order ids the venue does not know, to show rejections (default 0.05)"),
            Value("--rate", "R", "cancels per second offered by the strategies, 0 for flat out (default 5000)"),
            .. ReportOptions(),
            .. ConfirmOptions(),
            .. EngineOptions(EngineOption.All),
        ]);

    private static OmsCommand Load() => With(
        new OmsCommand("load", "the engine against any venue that speaks the contract (credentials from the environment)", readsCredentials: true, LoadCommand.RunAsync),
        [
            Value("--base-url", "URL", "the venue, e.g. https://ascendex.com or http://127.0.0.1:8800 (engine.baseUrl)"),
            Value("--account-group", "G", "the account group (engine.accountGroup)"),
            Value("--orders", "N", "cancels to send (required unless --order-ids or --open-orders says what to cancel)"),
            Value("--symbol", "S", "symbol of generated order ids (default BTC-PERP)"),
            Value("--rate", "R", "cancels per second, 0 for no limit (default engine.rateLimitPerSecond, 50)"),
            Value("--limit", "N", "requests per second the engine may send (default: 20 % above --rate, or engine.rateLimitPerSecond); 0 for no limit"),
            Value(EngineSettingsReader.BatchOption, "auto|off", "pack cancels queued behind the limit into batches of up to 10 (auto, the default) or never (off)", "auto", "off"),
            Value("--ca-cert", "FILE", "PEM CA to trust instead of the system store (engine.caCertificate)"),
            Value("--order-ids", "FILE", "lines of 'symbol orderId' to cancel instead of generated ids"),
            Flag("--open-orders", "cancel the orders the venue says are open (its open-orders query), at most --orders of them"),
            Value("--strategies", "S", "strategy threads publishing intents (default 2)"),
            Flag("--json", "print only one JSON object with the results on stdout"),
            .. ReportOptions(),
            .. ConfirmOptions(),
            .. EngineOptions(EngineOption.All),
        ]);

    private static OmsCommand Status() => With(
        new OmsCommand("status", "each order's status as the venue reports it (credentials from the environment)", readsCredentials: true, StatusCommand.RunAsync),
        [
            Value("--base-url", "URL", "the venue (engine.baseUrl)"),
            Value("--account-group", "G", "the account group (engine.accountGroup)"),
            Repeated("--order-id", "ID", "an order to ask about; give it once per order"),
            Value("--ca-cert", "FILE", "PEM CA to trust instead of the system store (engine.caCertificate)"),
            Flag("--json", "print one JSON array of {orderId, symbol, status}; status NotFound for ids the venue leaves out"),

            // One signed query per 20 ids, off the engine: no connections to keep, no consumer to wait.
            .. EngineOptions(EngineOption.Profile | EngineOption.RequestTimeout),
        ]);

    private static OmsCommand Cancel() => With(
        new OmsCommand("cancel", "one cancel by hand, and the venue's answer", readsCredentials: true, CancelCommand.RunAsync),
        [
            Value("--base-url", "URL", "the venue (engine.baseUrl)"),
            Value("--account-group", "G", "the account group (engine.accountGroup)"),
            Value("--order-id", "ID", "the order to cancel"),
            Value("--symbol", "S", "its symbol"),
            Value("--ca-cert", "FILE", "PEM CA to trust instead of the system store (engine.caCertificate)"),

            // One cancel needs one connection, whatever the settings say.
            .. EngineOptions(EngineOption.All & ~EngineOption.Connections),
        ]);

    private static OmsCommand CancelAll() => With(
        new OmsCommand("cancel-all", "cancel every open order (or one symbol's) and prove the book flat", readsCredentials: true, CancelAllCommand.RunAsync),
        [
            Value("--base-url", "URL", "the venue (engine.baseUrl)"),
            Value("--account-group", "G", "the account group (engine.accountGroup)"),
            Value("--symbol", "S", "only this symbol's orders (default: every open order of the account)"),
            Value("--deadline-ms", "T", "how long the check-and-cancel rounds may go on (default 10000)"),
            Value("--ca-cert", "FILE", "PEM CA to trust instead of the system store (engine.caCertificate)"),
            Flag("--json", "print only one JSON object with the report on stdout"),
            .. EngineOptions(EngineOption.All),
        ]);

    private static OmsCommand Venue() => With(
        new OmsCommand("venue", "run the AscendEX cancel venue simulator (HTTP/2, h2c or TLS) until Ctrl+C", readsCredentials: false, VenueCommand.RunAsync),
        [
            Settings(),
            Value("--port", "P", "TCP port to listen on (settings venue.port, default 8800; 0 picks a free one)"),
            Value("--bind", "ADDRESS", "address to listen on (default 127.0.0.1)"),
            Flag("--tls", "serve TLS with ALPN h2 instead of h2c (prior knowledge)"),
            Value("--cert", "FILE", "PEM server certificate for --tls (default: generate a CA and a certificate)"),
            Value("--key", "FILE", "PEM private key matching --cert"),
            Value("--ca-out", "FILE", "write the generated CA certificate (PEM) here, for clients to pin"),
            Value("--api-key", "K", "the API key to accept (default: generated)"),
            Value("--api-secret", "S", "the API secret to accept (default: generated)"),
            Value("--account-group", "G", "the account group to accept (default: generated)"),
            Value("--seed-orders", "N", "open orders to seed (settings venue.seedOrders, default 1000)"),
            Value("--symbol", "S", "symbol of the seeded orders (settings venue.symbol, default BTC-PERP)"),
            Value("--orders-out", "FILE", "write the seeded orders as 'symbol orderId' lines"),
            Value("--env-out", "FILE", "once listening, write shell 'export' lines (URLs, group, key, secret, a few order ids) for a probe to source"),
            Value("--max-concurrent-streams", "N", "SETTINGS_MAX_CONCURRENT_STREAMS per connection (settings venue.maxConcurrentStreams, default 100)"),
            Value("--latency-ms", "MS", "fixed latency before every answer"),
            Value("--jitter-ms", "MS", "random extra latency, uniform in [0, MS)"),
            Value("--never-answer", "SHARE", "share of streams never answered (0..1)"),
            Value("--server-error", "SHARE", "share answered HTTP 500 with 510001"),
            Value("--too-many-requests", "SHARE", "share answered HTTP 429 with an HTML body"),
            Value("--forbidden", "SHARE", "share answered HTTP 403 with an HTML body"),
            Value("--retry-after", "SECONDS", "retry-after header on 429 and 403 answers"),
            Value("--wrong-id", "SHARE", "share of answers echoing a wrong id"),
            Value("--truncated-json", "SHARE", "share of answers with truncated JSON"),
            Value("--non-json-body", "SHARE", "share of answers HTTP 200 with an HTML body instead of JSON"),
            Value("--empty-body", "SHARE", "share of answers HTTP 200 with an empty body"),
            Value("--reset-every", "N", "reset the connection at every Nth stream on it"),
            Value("--goaway-every", "N", "send GOAWAY after every Nth stream on a connection"),
            Value("--clock-offset-ms", "MS", "run the venue's clock ahead (or behind, negative) of real time"),
            Value("--fill-before-cancel", "SHARE", "share of cancelled orders that fill just before their cancel arrives (answered 300006)"),
            Value("--fill-after-ack", "SHARE", "share of cancelled orders that fill after the Ack (final status Filled)"),
            Value("--cancel-delay-ms", "MS", "how long after an Ack the cancel takes effect; status says New until then (default 2)"),
            Value("--status-delay-ms", "MS", "latency before every order status and open-orders answer"),
            Flag("--status-fails", "answer every order status query HTTP 500 with 510001 SERVER_ERROR (the stream alone tells fates)"),
            Value("--stream-drop-share", "SHARE", "share of order messages the private stream leaves out (by seed and order id, the same for every session)"),
            Value("--stream-close-every", "N", "drop each stream session without a close frame after its Nth order message"),
            Value("--stream-refuse-ms", "MS", "refuse stream upgrades with HTTP 503 for the first MS after start"),
            Value("--stream-ping-ms", "MS", "ping a stream client quiet this long; two unanswered pings end the session (default 15000)"),
            Value("--batch-wrong-info-share", "SHARE", "share of 300013 batch refusals whose info also names an order not in the batch"),
            Value("--cancel-all-survivors", "SHARE", "share of recent open orders a cancel-all leaves open (best effort; by seed and order id)"),
            Value("--cancel-all-survivor-window-ms", "MS", "how recent an order's placement or cancel attempt must be to survive a cancel-all (default 1000)"),
            Value("--rate-limit", "N", "requests per second per API key over the order endpoints (cancel, batch, all, status, open); past it HTTP 429 with an HTML page (default 0: none)"),
            Flag("--status-refuses-unknown", "order status refuses a request naming an unknown id with 300006, instead of leaving the id out"),
            Value("--seed", "N", "seed for the fault and fill draws (default fixed, for reproducible runs)"),
        ]);

    /// <summary>The engine options a command reads through <see cref="EngineSettingsReader"/>.</summary>
    [Flags]
    private enum EngineOption
    {
        Profile = 1,
        Connections = 2,
        WaitStrategy = 4,
        WaitSpin = 8,
        RequestTimeout = 16,
        All = Profile | Connections | WaitStrategy | WaitSpin | RequestTimeout,
    }

    private static IEnumerable<Option> EngineOptions(EngineOption which)
    {
        yield return Settings();
        if (which.HasFlag(EngineOption.Profile))
        {
            yield return Value("--profile", "v1|v2", "cancel API profile (settings engine.profile, default v1)", "v1", "v2");
        }

        if (which.HasFlag(EngineOption.Connections))
        {
            yield return Value("--connections", "C", "persistent HTTP/2 connections (engine.connections, default 2)");
        }

        if (which.HasFlag(EngineOption.WaitStrategy))
        {
            yield return Value("--wait-strategy", "NAME", "spin-then-park|busy-spin|yielding|sleeping|blocking (engine.waitStrategy, default spin-then-park)",
                "spin-then-park", "busy-spin", "yielding", "sleeping", "blocking");
        }

        if (which.HasFlag(EngineOption.WaitSpin))
        {
            yield return Value("--wait-spin-us", "US", "how long a spin-then-park consumer spins before it parks (engine.waitSpinMicroseconds, default 2)");
        }

        if (which.HasFlag(EngineOption.RequestTimeout))
        {
            yield return Value("--request-timeout-ms", "T", "per-request timeout before reset and retry (engine.requestTimeoutMs, default 5000)");
        }
    }

    /// <summary>What the fate confirmation of a run offers (<c>oms demo</c>, <c>oms load</c>).</summary>
    private static IEnumerable<Option> ConfirmOptions() =>
    [
        Flag(EngineSettingsReader.NoConfirmOption, "do not confirm the orders' fates (settings engine.confirmation.enabled, default true)"),
        Flag("--reconcile", "after connecting, ask the venue for its open orders and print how many"),
    ];

    /// <summary>The files a run can leave behind (<c>oms demo</c>, <c>oms load</c>), written after it, with or without <c>--json</c>.</summary>
    private static IEnumerable<Option> ReportOptions() =>
    [
        Value(ReportOutputs.ReportOption, "FILE.html", "write the run as one self-contained HTML page (settings, outcomes, fates, costs, latency table and curves)"),
        Value(ReportOutputs.HistogramsOption, "DIR", "write each latency series as an HdrHistogram percentile distribution (.hgrm) into DIR"),
    ];

    private static Option<string> Settings() => Value("--settings", "FILE", "settings file (default ./runtimesettings.json when present)");

    private static Option<string> Value(string name, string valueName, string description, params string[] completions)
    {
        var option = new Option<string>(name) { HelpName = valueName, Description = description };
        if (completions.Length > 0)
        {
            option.CompletionSources.Add(completions);
        }

        return option;
    }

    // Arity zero: '--json false' is a stray argument, not a way to turn a flag off.
    private static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    private static Option<string[]> Repeated(string name, string valueName, string description) =>
        new(name) { HelpName = valueName, Description = description, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };

    private static OmsCommand With(OmsCommand command, IEnumerable<Option> options)
    {
        foreach (var option in options)
        {
            command.Add(option);
        }

        return command;
    }
}
