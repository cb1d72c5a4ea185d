using Oms.Cli.Arguments;
using Oms.Cli.Settings;

namespace Oms.Cli.Commands;

/// <summary>The commands of <c>oms</c> in one table: what the overview lists, what each accepts, what runs it.</summary>
internal static class CommandCatalog
{
    private static readonly OptionSpec s_settings = new("--settings", "FILE", "settings file (default ./runtimesettings.json when present)");

    /// <summary>The options every engine-driving command accepts, read by <see cref="EngineSettingsReader"/>.</summary>
    private static readonly OptionSpec[] s_engineOptions =
    [
        s_settings,
        new("--profile", "v1|v2", "cancel API profile (settings engine.profile, default v1)"),
        new("--connections", "C", "persistent HTTP/2 connections (engine.connections, default 2)"),
        new("--wait-strategy", "NAME", "spin-then-park|busy-spin|yielding|sleeping|blocking (engine.waitStrategy, default spin-then-park)"),
        new("--wait-spin-us", "US", "how long a spin-then-park consumer spins before it parks (engine.waitSpinMicroseconds, default 2)"),
        new("--request-timeout-ms", "T", "per-request timeout before reset and retry (engine.requestTimeoutMs, default 5000)"),
    ];

    /// <summary>What the fate confirmation of a run offers (<c>oms demo</c>, <c>oms load</c>).</summary>
    private static readonly OptionSpec[] s_confirmOptions =
    [
        new(EngineSettingsReader.NoConfirmOption, null, "do not confirm the orders' fates (settings engine.confirmation.enabled, default true)"),
        new("--reconcile", null, "after connecting, ask the venue for its open orders and print how many"),
    ];

    public static readonly Command Demo = new(
        "demo",
        "the engine against the embedded venue simulator, with a live line and a report",
        "oms demo [--orders N] [--strategies S] [--connections C] [--wait-strategy W] [--profile v1|v2] [--no-confirm] [--reconcile]",
        [
            new("--orders", "N", "cancels to send (default 20000)"),
            new("--strategies", "S", "strategy threads publishing intents (default 4)"),
            new("--unknown-share", "SHARE", "share of order ids the venue does not know, to show rejections (default 0.05)"),
            new("--rate", "R", "cancels per second offered by the strategies, 0 for flat out (default 5000)"),
            .. s_confirmOptions,
            .. s_engineOptions,
        ],
        DemoCommand.RunAsync);

    public static readonly Command Load = new(
        "load",
        "the engine against any venue that speaks the contract (credentials from the environment)",
        "oms load --base-url URL --account-group G --orders N [--symbol S] [--rate R] [--profile v1|v2] [--connections C] [--wait-strategy W] [--request-timeout-ms T] [--limit N] [--batch auto|off] [--ca-cert FILE] [--order-ids FILE] [--no-confirm] [--reconcile] [--json]",
        [
            new("--base-url", "URL", "the venue, e.g. https://ascendex.com or http://127.0.0.1:8800 (engine.baseUrl)"),
            new("--account-group", "G", "the account group (engine.accountGroup)"),
            new("--orders", "N", "cancels to send"),
            new("--symbol", "S", "symbol of generated order ids (default BTC-PERP)"),
            new("--rate", "R", "cancels per second, 0 for no limit (default engine.rateLimitPerSecond, 50)"),
            new("--limit", "N", "requests per second the engine may send (default: 20 % above --rate, or engine.rateLimitPerSecond); 0 for no limit"),
            new("--batch", "auto|off", "pack cancels queued behind the limit into batches of up to 10 (auto, the default) or never (off)"),
            new("--ca-cert", "FILE", "PEM CA to trust instead of the system store (engine.caCertificate)"),
            new("--order-ids", "FILE", "lines of 'symbol orderId' to cancel instead of generated ids"),
            new("--open-orders", null, "cancel the orders the venue says are open (its open-orders query), at most --orders of them"),
            new("--strategies", "S", "strategy threads publishing intents (default 2)"),
            new("--json", null, "print only one JSON object with the results on stdout"),
            .. s_confirmOptions,
            .. s_engineOptions,
        ],
        LoadCommand.RunAsync);

    public static readonly Command Status = new(
        "status",
        "each order's status as the venue reports it (credentials from the environment)",
        "oms status --base-url URL --account-group G --order-id ID [--order-id ID ...] [--ca-cert FILE] [--json]",
        [
            new("--base-url", "URL", "the venue (engine.baseUrl)"),
            new("--account-group", "G", "the account group (engine.accountGroup)"),
            new("--order-id", "ID", "an order to ask about; give it once per order", Repeatable: true),
            new("--ca-cert", "FILE", "PEM CA to trust instead of the system store (engine.caCertificate)"),
            new("--json", null, "print one JSON array of {orderId, symbol, status}; status NotFound for ids the venue leaves out"),
            .. s_engineOptions,
        ],
        StatusCommand.RunAsync);

    public static readonly Command Cancel = new(
        "cancel",
        "one cancel by hand, and the venue's answer",
        "oms cancel --base-url URL --account-group G --order-id ID --symbol S [--profile v1|v2] [--ca-cert FILE]",
        [
            new("--base-url", "URL", "the venue (engine.baseUrl)"),
            new("--account-group", "G", "the account group (engine.accountGroup)"),
            new("--order-id", "ID", "the order to cancel"),
            new("--symbol", "S", "its symbol"),
            new("--ca-cert", "FILE", "PEM CA to trust instead of the system store"),
            .. s_engineOptions,
        ],
        CancelCommand.RunAsync);

    public static readonly Command CancelAll = new(
        "cancel-all",
        "cancel every open order (or one symbol's) and prove the book flat",
        "oms cancel-all --base-url URL --account-group G [--symbol S] [--deadline-ms T] [--json] [--profile v1|v2] [--ca-cert FILE]",
        [
            new("--base-url", "URL", "the venue (engine.baseUrl)"),
            new("--account-group", "G", "the account group (engine.accountGroup)"),
            new("--symbol", "S", "only this symbol's orders (default: every open order of the account)"),
            new("--deadline-ms", "T", "how long the check-and-cancel rounds may go on (default 10000)"),
            new("--ca-cert", "FILE", "PEM CA to trust instead of the system store (engine.caCertificate)"),
            new("--json", null, "print only one JSON object with the report on stdout"),
            .. s_engineOptions,
        ],
        CancelAllCommand.RunAsync);

    public static readonly Command Venue = new(
        "venue",
        "run the AscendEX cancel venue simulator (HTTP/2, h2c or TLS) until Ctrl+C",
        "oms venue [--port P] [--tls] [--cert F --key F] [--api-key K --api-secret S --account-group G] [fault options]",
        [
            s_settings,
            new("--port", "P", "TCP port to listen on (settings venue.port, default 8800; 0 picks a free one)"),
            new("--bind", "ADDRESS", "address to listen on (default 127.0.0.1)"),
            new("--tls", null, "serve TLS with ALPN h2 instead of h2c (prior knowledge)"),
            new("--cert", "FILE", "PEM server certificate for --tls (default: generate a CA and a certificate)"),
            new("--key", "FILE", "PEM private key matching --cert"),
            new("--ca-out", "FILE", "write the generated CA certificate (PEM) here, for clients to pin"),
            new("--api-key", "K", "the API key to accept (default: generated)"),
            new("--api-secret", "S", "the API secret to accept (default: generated)"),
            new("--account-group", "G", "the account group to accept (default: generated)"),
            new("--seed-orders", "N", "open orders to seed (settings venue.seedOrders, default 1000)"),
            new("--symbol", "S", "symbol of the seeded orders (settings venue.symbol, default BTC-PERP)"),
            new("--orders-out", "FILE", "write the seeded orders as 'symbol orderId' lines"),
            new("--env-out", "FILE", "once listening, write shell 'export' lines (URLs, group, key, secret, a few order ids) for a probe to source"),
            new("--max-concurrent-streams", "N", "SETTINGS_MAX_CONCURRENT_STREAMS per connection (settings venue.maxConcurrentStreams, default 100)"),
            new("--latency-ms", "MS", "fixed latency before every answer"),
            new("--jitter-ms", "MS", "random extra latency, uniform in [0, MS)"),
            new("--never-answer", "SHARE", "share of streams never answered (0..1)"),
            new("--server-error", "SHARE", "share answered HTTP 500 with 510001"),
            new("--too-many-requests", "SHARE", "share answered HTTP 429 with an HTML body"),
            new("--forbidden", "SHARE", "share answered HTTP 403 with an HTML body"),
            new("--retry-after", "SECONDS", "retry-after header on 429 and 403 answers"),
            new("--wrong-id", "SHARE", "share of answers echoing a wrong id"),
            new("--truncated-json", "SHARE", "share of answers with truncated JSON"),
            new("--non-json-body", "SHARE", "share of answers HTTP 200 with an HTML body instead of JSON"),
            new("--empty-body", "SHARE", "share of answers HTTP 200 with an empty body"),
            new("--reset-every", "N", "reset the connection at every Nth stream on it"),
            new("--goaway-every", "N", "send GOAWAY after every Nth stream on a connection"),
            new("--clock-offset-ms", "MS", "run the venue's clock ahead (or behind, negative) of real time"),
            new("--fill-before-cancel", "SHARE", "share of cancelled orders that fill just before their cancel arrives (answered 300006)"),
            new("--fill-after-ack", "SHARE", "share of cancelled orders that fill after the Ack (final status Filled)"),
            new("--cancel-delay-ms", "MS", "how long after an Ack the cancel takes effect; status says New until then (default 2)"),
            new("--status-delay-ms", "MS", "latency before every order status and open-orders answer"),
            new("--status-fails", null, "answer every order status query HTTP 500 with 510001 SERVER_ERROR (the stream alone tells fates)"),
            new("--stream-drop-share", "SHARE", "share of order messages the private stream leaves out (by seed and order id, the same for every session)"),
            new("--stream-close-every", "N", "drop each stream session without a close frame after its Nth order message"),
            new("--stream-refuse-ms", "MS", "refuse stream upgrades with HTTP 503 for the first MS after start"),
            new("--stream-ping-ms", "MS", "ping a stream client quiet this long; two unanswered pings end the session (default 15000)"),
            new("--batch-wrong-info-share", "SHARE", "share of 300013 batch refusals whose info also names an order not in the batch"),
            new("--cancel-all-survivors", "SHARE", "share of recent open orders a cancel-all leaves open (best effort; by seed and order id)"),
            new("--cancel-all-survivor-window-ms", "MS", "how recent an order's placement or cancel attempt must be to survive a cancel-all (default 1000)"),
            new("--rate-limit", "N", "requests per second per API key over the order endpoints (cancel, batch, all, status, open); past it HTTP 429 with an HTML page (default 0: none)"),
            new("--status-refuses-unknown", null, "order status refuses a request naming an unknown id with 300006, instead of leaving the id out"),
            new("--seed", "N", "seed for the fault and fill draws (default fixed, for reproducible runs)"),
        ],
        VenueCommand.RunAsync);

    public static readonly IReadOnlyList<Command> All = [Demo, Load, Cancel, CancelAll, Status, Venue];

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

    /// <summary>What <c>oms --help</c> prints.</summary>
    public static string Overview() =>
        "usage: oms <command> [options]\n\ncommands:\n"
        + string.Concat(All.Select(command => $"  {command.Name,-8}  {command.Summary}\n"))
        + "\nexit codes:\n"
        + string.Concat(ExitCodes.Select(exit => $"  {(int)exit.Code,3}  {exit.Meaning}\n"))
        + "\n'oms <command> --help' lists a command's options.";
}
