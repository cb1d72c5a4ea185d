using System.Runtime.CompilerServices;

namespace Oms.Engine.Consumer;

/// <summary>An order id's ASCII bytes, inline in a ring slot so publishing an intent copies no reference.</summary>
[InlineArray(MaxLength)]
internal struct OrderIdBytes
{
    /// <summary>The longest order id any profile allows.</summary>
    public const int MaxLength = 32;

    private byte _element0;
}
