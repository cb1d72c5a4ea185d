using Microsoft.Extensions.Options;
using Oms.Engine.Settings;

namespace Oms.Extensions.Hosting.Configuration;

/// <summary>
/// Validates the options when the host starts (<c>ValidateOnStart</c>): each bad configuration key with the words the
/// <c>oms</c> command uses for it, then the engine's own checks on the settings as code may have changed them.
/// </summary>
internal sealed class CancelEngineOptionsValidator : IValidateOptions<CancelEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, CancelEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.ConfigurationErrors);
        if (options.ConfigurationErrors.Count == 0)
        {
            if (options.Settings is null)
            {
                failures.Add("no engine settings: give AddCancelEngine the configuration section that holds them");
            }
            else if (EngineSettingsSchema.ValidationError(options.Settings) is { } error)
            {
                failures.Add(error);
            }
        }

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            failures.Add($"DrainTimeout must not be negative, not {options.DrainTimeout}");
        }

        if (options.AlarmInterval <= TimeSpan.Zero)
        {
            failures.Add($"AlarmInterval must be positive, not {options.AlarmInterval}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
