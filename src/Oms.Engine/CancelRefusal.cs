namespace Oms.Engine;

/// <summary>Why strategy input was refused before anything was sent; see <see cref="Venues.AscendEx.CancelProfile.TryValidate(ReadOnlySpan{char}, ReadOnlySpan{char}, out CancelRefusal)"/>.</summary>
public enum CancelRefusal
{
    /// <summary>Nothing was refused.</summary>
    None = 0,

    /// <summary>The order id is empty.</summary>
    OrderIdEmpty,

    /// <summary>The order id's length is outside the profile's range (v1: exactly 32).</summary>
    OrderIdLength,

    /// <summary>The order id holds a character the profile does not allow.</summary>
    OrderIdCharacter,

    /// <summary>The symbol is empty.</summary>
    SymbolEmpty,

    /// <summary>The symbol is longer than <see cref="Venues.AscendEx.CancelProfile.MaxSymbolLength"/>.</summary>
    SymbolTooLong,

    /// <summary>The symbol holds a character outside visible ASCII (0x21 to 0x7E).</summary>
    SymbolCharacter,

    /// <summary>The ring buffer had no free slot (and the caller did not wait, or its deadline passed).</summary>
    RingFull,

    /// <summary>The engine is not running: not started yet, stopping or stopped.</summary>
    EngineStopped,

    /// <summary>The venue refused the credentials (200001): the engine stopped sending and refuses new intents.</summary>
    AuthenticationFailed,

    /// <summary>The engine has seen more distinct symbols than its symbol table holds.</summary>
    TooManySymbols,
}
