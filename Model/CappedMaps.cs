namespace Personalization.Model;

/// <summary>
/// Keeps a per-user map (categories, skills) within a fixed size, so that a client sending ever new labels cannot grow
/// one user's state without bound: past the capacity the entry of least rank goes.
/// </summary>
public static class CappedMaps
{
    /// <summary>
    /// Removes entries of least <paramref name="rank"/> until at most <paramref name="capacity"/> remain, never
    /// <paramref name="keep"/> (the entry just added, which would otherwise never get the chance to grow). Ties go to
    /// the ordinal-first key, so that a replay of the same events drops the same entries.
    /// </summary>
    public static void DropLeast<TValue>(Dictionary<string, TValue> map, int capacity, Func<TValue, double> rank, string? keep = null)
    {
        while (map.Count > capacity)
        {
            string? least = null;
            var leastRank = 0.0;
            foreach (var (key, value) in map)
            {
                var candidate = rank(value);
                if (key != keep && (least is null || candidate < leastRank || (candidate == leastRank && string.CompareOrdinal(key, least) < 0)))
                {
                    (least, leastRank) = (key, candidate);
                }
            }

            if (least is null)
            {
                return;
            }

            map.Remove(least);
        }
    }
}
