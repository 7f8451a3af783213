using System.Globalization;

namespace MarketMakers.Core.Audit;

/// <summary>A ticket id, <c>TKT-YYYY-NNNNNN</c> (six or more digits), with its parts.</summary>
public readonly record struct TicketNumber(int Year, long Number, DateTimeOffset IssuedAt)
{
    public string Value => Format(Year, Number);

    public static string Format(int year, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"TKT-{year:D4}-{number:D6}");

    public static bool TryParse(string? value, out int year, out long number)
    {
        year = 0;
        number = 0;
        if (value is null || value.Length < 15 || !value.StartsWith("TKT-", StringComparison.Ordinal) || value[8] != '-')
        {
            return false;
        }

        return int.TryParse(value.AsSpan(4, 4), NumberStyles.None, CultureInfo.InvariantCulture, out year)
            && long.TryParse(value.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out number)
            && number > 0;
    }

    public override string ToString() => Value;
}

/// <summary>Issues unique, increasing ticket ids.</summary>
public interface ITicketIdAllocator
{
    Task<TicketNumber> NextAsync(CancellationToken cancellationToken = default);

    /// <summary>Several ids at once, increasing, in as few round trips as the allocator can manage.</summary>
    Task<IReadOnlyList<TicketNumber>> NextManyAsync(int count, CancellationToken cancellationToken = default);
}
