using System.Globalization;
using Oms.Engine.Sequencing;

namespace Oms.LoadHarness;

/// <summary>The harness's command line, parsed; every knob has a default that keeps a full run to one or two minutes.</summary>
internal sealed record HarnessOptions
{
    public const string Usage = """
        Oms.LoadHarness: the engine and an HttpClient yardstick against the venue simulator (a separate process).

        options:
          --duration-seconds S   length of the steady and the flat-out run, each (default 10; --quick 1)
          --warmup-seconds S     uncounted flat-out warm-up before each client's runs (default 5; --quick 0.5)
          --rate N               offered load of the steady run, cancels per second (default 5000; --quick 2000)
          --connections N        HTTP/2 connections per client (default 2); in-flight limit = N x venue streams
          --venue-streams N      the venue's SETTINGS_MAX_CONCURRENT_STREAMS (default 100)
          --wait-strategy NAME   the engine consumer's strategy: spin-then-park, blocking, yielding, sleeping, busy-spin
                                 (default spin-then-park, the engine's own default)
          --latency-wait-strategy NAME   the engine's strategy in the latency configuration: the 1-in-flight run
                                 and a second steady run (default busy-spin)
          --no-isolate           run the latency configuration unpinned (default: its consumer gets the last CPU to
                                 itself, every other thread of the harness and the venue the rest, on Linux)
          --one-in-flight N      cancels measured strictly one in flight, per client (default 5000; --quick 200)
          --one-in-flight-lead-in N   cancels issued one at a time before those, not measured (default 1000; --quick 50)
          --mass N               intents published at once in the mass cancel (default 10000; --quick 2000)
          --order-state-capacity N   the engine's OrderStateCapacity (default 262144; final states kept 1 s)
          --seed-orders N        open orders the venue seeds (default: enough for the run)
          --oms-dll PATH         the built oms.dll that runs the venue (default: src/Oms.Cli/bin/<config>/net10.0/oms.dll)
          --results-dir DIR      where to write <date>.md (default bench/results; --quick writes nothing unless given)
          --json                 print only one JSON object {"engine": {...}, "httpclient": {...}}
          --quick                a few seconds in total, for CI

        the venue-pace scenario (instead of the runs above):
          --venue-pace           both clients at a venue's pace: the venue answers after --venue-latency-ms plus up to
                                 --venue-jitter-ms, each client runs steady at each of --pace-rates, the engine with its
                                 default wait strategy; then an idle engine is measured
          --venue-latency-ms N   the venue's added latency (default 1)
          --venue-jitter-ms N    the venue's added jitter, uniform in [0, N) (default 1)
          --pace-rates R,R,...   offered cancels per second (default 1000,5000; --quick 500,1000)
          --pace-seconds S       length of each paced run (default 10; --quick 1)
          --idle-seconds S       how long the idle engine is measured (default 5; --quick 1)
          --read-on-consumer on|off   the consumer reads its connections itself, sleeping in epoll (default: the engine's)
          --pace-wait-strategy NAME   the engine's strategy at the venue's pace (default spin-then-park, the engine's default)
          --wait-spin-us N       the spin of a spin-then-park consumer, microseconds (default: the engine's, 2)
        exit codes: 0 verified, 1 a count did not reconcile, 2 usage, 3 the venue or a client could not run.
        """;

    public double DurationSeconds { get; init; } = 10;

    public double WarmupSeconds { get; init; } = 5;

    public double Rate { get; init; } = 5000;

    public int Connections { get; init; } = 2;

    public int VenueStreams { get; init; } = 100;

    public WaitStrategyKind WaitStrategy { get; init; } = WaitStrategyKind.SpinThenPark;

    /// <summary>The engine's strategy for the runs in the latency configuration: what a user after latency would choose.</summary>
    public WaitStrategyKind LatencyWaitStrategy { get; init; } = WaitStrategyKind.BusySpin;

    /// <summary>Whether the latency configuration's consumer gets a core to itself (<see cref="Load.CoreIsolation"/>).</summary>
    public bool IsolateLatencyCore { get; init; } = true;

    public int OneInFlightCancels { get; init; } = 5000;

    public int OneInFlightLeadIn { get; init; } = 1000;

    public int MassCount { get; init; } = 10_000;

    public int OrderStateCapacity { get; init; } = 1 << 18;

    public int? SeedOrders { get; init; }

    public string? OmsDll { get; init; }

    public string? ResultsDirectory { get; init; }

    public bool Json { get; init; }

    public bool Quick { get; init; }

    /// <summary>Run the venue-pace scenario instead of the usual runs.</summary>
    public bool VenuePace { get; init; }

    public int VenueLatencyMs { get; init; } = 1;

    public int VenueJitterMs { get; init; } = 1;

    public IReadOnlyList<double> PaceRates { get; init; } = [1000, 5000];

    public double PaceSeconds { get; init; } = 10;

    public double IdleSeconds { get; init; } = 5;

    /// <summary>The engine's wait strategy at the venue's pace: its default, what a user who sets nothing gets.</summary>
    public WaitStrategyKind PaceWaitStrategy { get; init; } = new Oms.Engine.CancelEngineSettings { BaseUrl = new Uri("http://127.0.0.1"), AccountGroup = "0" }.WaitStrategy;

    public int WaitSpinMicroseconds { get; init; } = Oms.Engine.CancelEngineSettings.DefaultWaitSpinMicroseconds;

    /// <summary>Whether the engine's consumer reads its connections itself (<see cref="Oms.Engine.CancelEngineSettings.ReadOnConsumer"/>); the engine's default unless given.</summary>
    public bool ReadOnConsumer { get; init; } = new Oms.Engine.CancelEngineSettings { BaseUrl = new Uri("http://127.0.0.1"), AccountGroup = "0" }.ReadOnConsumer;

    /// <summary>The most cancels one paced run (or its warm-up) may issue.</summary>
    public int MaxPacedCancelsPerRun => (int)Math.Min(int.MaxValue / 2, (PaceRates.Max() * Math.Max(PaceSeconds, WarmupSeconds) * 1.2) + 1000);

    /// <summary>Open orders to seed for the venue-pace scenario: each client's warm-up at the highest rate and every paced run.</summary>
    public int PaceSeedOrders =>
        SeedOrders ?? (int)Math.Min(10_000_000, Math.Ceiling(2 * ((PaceRates.Max() * WarmupSeconds) + PaceRates.Sum(r => r * (PaceSeconds + WarmupSeconds))) * 1.1) + 1000);

    /// <summary>The arguments as given, for the results file.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>Requests in flight at once per client: every connection's stream limit.</summary>
    public int Concurrency => Connections * VenueStreams;

    /// <summary>
    /// The most cancels one run may issue: what the recorder pre-allocates. A flat-out run stops there if it gets
    /// that far, which at 400,000 cancels a second for the whole duration no client on this machine does.
    /// </summary>
    public int MaxCancelsPerRun =>
        (int)Math.Min(
            int.MaxValue / 2,
            Math.Max(Math.Max(Math.Max(MassCount, (long)OneInFlightLeadIn + OneInFlightCancels), (Rate * DurationSeconds * 1.2) + 1000), Math.Max(WarmupSeconds, DurationSeconds) * 400_000));

    /// <summary>
    /// Open orders to seed: enough that every cancel finds a fresh one while a client runs at up to 120,000 a
    /// second (the engine's flat-out rate on an idle two-core machine is about 110,000); three steady runs (the
    /// engine's second one in the latency configuration) and both clients' one-in-flight runs.
    /// </summary>
    public int EffectiveSeedOrders =>
        SeedOrders ?? (int)Math.Min(
            10_000_000,
            Math.Ceiling((2 * (WarmupSeconds + DurationSeconds) * 120_000) + (3 * Rate * DurationSeconds) + (2 * MassCount) + (2 * ((long)OneInFlightLeadIn + OneInFlightCancels))));

    /// <summary>Parses the command line.</summary>
    /// <exception cref="FormatException">An unknown option or a bad value; the message says which.</exception>
    public static HarnessOptions Parse(IReadOnlyList<string> args)
    {
        bool quick = args.Contains("--quick");
        var options = quick
            ? new HarnessOptions { Quick = true, DurationSeconds = 1, WarmupSeconds = 0.5, Rate = 2000, MassCount = 2000, OneInFlightCancels = 200, OneInFlightLeadIn = 50, PaceRates = [500, 1000], PaceSeconds = 1, IdleSeconds = 1 }
            : new HarnessOptions();
        options = options with { CommandLine = string.Join(' ', args) };
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            options = name switch
            {
                "--quick" => options,
                "--json" => options with { Json = true },
                "--no-isolate" => options with { IsolateLatencyCore = false },
                "--duration-seconds" => options with { DurationSeconds = Positive(name, Value(args, ref i)) },
                "--warmup-seconds" => options with { WarmupSeconds = NonNegative(name, Value(args, ref i)) },
                "--rate" => options with { Rate = Positive(name, Value(args, ref i)) },
                "--connections" => options with { Connections = (int)Positive(name, Value(args, ref i)) },
                "--venue-streams" => options with { VenueStreams = (int)Positive(name, Value(args, ref i)) },
                "--mass" => options with { MassCount = (int)Positive(name, Value(args, ref i)) },
                "--order-state-capacity" => options with { OrderStateCapacity = (int)Positive(name, Value(args, ref i)) },
                "--seed-orders" => options with { SeedOrders = (int)Positive(name, Value(args, ref i)) },
                "--wait-strategy" => options with { WaitStrategy = WaitStrategyFactory.Parse(Value(args, ref i)) },
                "--latency-wait-strategy" => options with { LatencyWaitStrategy = WaitStrategyFactory.Parse(Value(args, ref i)) },
                "--one-in-flight" => options with { OneInFlightCancels = (int)Positive(name, Value(args, ref i)) },
                "--one-in-flight-lead-in" => options with { OneInFlightLeadIn = (int)NonNegative(name, Value(args, ref i)) },
                "--oms-dll" => options with { OmsDll = Value(args, ref i) },
                "--results-dir" => options with { ResultsDirectory = Value(args, ref i) },
                "--venue-pace" => options with { VenuePace = true },
                "--venue-latency-ms" => options with { VenueLatencyMs = (int)NonNegative(name, Value(args, ref i)) },
                "--venue-jitter-ms" => options with { VenueJitterMs = (int)NonNegative(name, Value(args, ref i)) },
                "--pace-rates" => options with { PaceRates = [.. Value(args, ref i).Split(',').Select(r => Positive(name, r.Trim()))] },
                "--pace-seconds" => options with { PaceSeconds = Positive(name, Value(args, ref i)) },
                "--idle-seconds" => options with { IdleSeconds = Positive(name, Value(args, ref i)) },
                "--pace-wait-strategy" => options with { PaceWaitStrategy = WaitStrategyFactory.Parse(Value(args, ref i)) },
                "--read-on-consumer" => options with { ReadOnConsumer = OnOff(name, Value(args, ref i)) },
                "--wait-spin-us" => options with { WaitSpinMicroseconds = (int)NonNegative(name, Value(args, ref i)) },
                _ => throw new FormatException($"Unknown option '{name}'."),
            };
        }

        if ((long)options.OneInFlightCancels + options.OneInFlightLeadIn > 1_000_000)
        {
            throw new FormatException("--one-in-flight plus its lead-in is at most 1000000 (each waits for a round trip).");
        }

        if (options.MassCount > 1 << 20)
        {
            throw new FormatException("--mass is at most 1048576 (the engine's ring is sized for it).");
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new FormatException($"{args[i]} needs a value.");
        }

        return args[++i];
    }

    private static double Positive(string name, string text)
    {
        double value = NonNegative(name, text);
        return value > 0 ? value : throw new FormatException($"{name} must be positive, not '{text}'.");
    }

    private static bool OnOff(string name, string text) => text switch
    {
        "on" => true,
        "off" => false,
        _ => throw new FormatException($"{name} takes on or off, not '{text}'."),
    };

    private static double NonNegative(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new FormatException($"{name} needs a non-negative number, not '{text}'.");
}
