namespace Oms.Extensions.Hosting;

/// <summary>The hosted engine's options: its settings, bound from configuration, and how the host runs it.</summary>
/// <remarks>
/// <see cref="Settings"/> is built from the configuration section given to
/// <see cref="CancelEngineServiceCollectionExtensions.AddCancelEngine(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>;
/// code may change it afterwards (<c>services.PostConfigure&lt;CancelEngineOptions&gt;(o =&gt; o.Settings = o.Settings! with { ... })</c>).
/// Everything is validated when the host starts. The credentials are not here: options are easy to dump, and the
/// credentials must never be shown.
/// </remarks>
public sealed class CancelEngineOptions
{
    /// <summary>The engine's settings; null when the configuration lacks the venue or account group (validation says which).</summary>
    public CancelEngineSettings? Settings { get; set; }

    /// <summary>
    /// How long a host stop lets the engine finish what it has before failing the rest as Stopped (5 s by default).
    /// Keep it well within the host's <c>ShutdownTimeout</c> (30 s by default): the stop may take up to 6 s more if a
    /// listener call does not return.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the engine's state is read for alarms (1 s by default): an alarm is logged at most this late.</summary>
    public TimeSpan AlarmInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What reading the configuration section found wrong, one message per bad key, reported by validation.</summary>
    internal IReadOnlyList<string> ConfigurationErrors { get; set; } = [];
}
