namespace MarketMakers.Core.Matching;

/// <summary>
/// One side's price levels in a sorted array, ascending by Key, best level last. Matching takes and
/// removes the best level at the end in O(1); new levels near the touch shift only a few entries.
/// A sorted array beats SortedDictionary here: a ~1K-order book has at most a few hundred levels and
/// the array is contiguous and allocation-free.
/// </summary>
internal sealed class BookSide
{
    private PriceLevel[] _levels = new PriceLevel[64];
    private int _count;

    public BookSide(Side side) => Side = side;

    public Side Side { get; }

    public int LevelCount => _count;

    public PriceLevel? Best => _count == 0 ? null : _levels[_count - 1];

    /// <summary>0 = best level.</summary>
    public PriceLevel LevelFromBest(int depth) => _levels[_count - 1 - depth];

    public long KeyOf(long ticks) => Side == Side.Buy ? ticks : -ticks;

    /// <summary>Returns the level index for key, or ~insertionIndex when absent.</summary>
    private int Find(long key)
    {
        int lo = 0;
        int hi = _count - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            long k = _levels[mid].Key;
            if (k == key)
            {
                return mid;
            }

            if (k < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    public PriceLevel? TryGet(long ticks)
    {
        int i = Find(KeyOf(ticks));
        return i >= 0 ? _levels[i] : null;
    }

    public void Insert(PriceLevel level)
    {
        int i = Find(level.Key);
        if (i >= 0)
        {
            throw new InvalidOperationException("Level already present.");
        }

        i = ~i;
        if (_count == _levels.Length)
        {
            Array.Resize(ref _levels, _count * 2);
        }

        Array.Copy(_levels, i, _levels, i + 1, _count - i);
        _levels[i] = level;
        _count++;
    }

    public void Remove(PriceLevel level)
    {
        int i = _count - 1;
        if (_levels[i] != level)
        {
            i = Find(level.Key);
            if (i < 0)
            {
                throw new InvalidOperationException("Level not present.");
            }

            Array.Copy(_levels, i + 1, _levels, i, _count - i - 1);
        }

        _count--;
        _levels[_count] = null!;
    }

    public void Clear()
    {
        Array.Clear(_levels, 0, _count);
        _count = 0;
    }
}
