using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MarketMakers.Core.Persistence;

/// <summary>Stores a code value type as its text; reading parses it back, so a bad stored code fails loudly.</summary>
public sealed class CodeConverter<T>() : ValueConverter<T, string>(v => v.Value, s => ParseStored(s))
    where T : Code, IParsableCode<T>
{
    // A plain static method: an expression tree cannot call the static abstract Parse directly.
    private static T ParseStored(string value) => T.Parse(value);
}
