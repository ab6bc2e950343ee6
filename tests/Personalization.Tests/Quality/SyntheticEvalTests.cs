using Personalization.Bench.Data;
using Personalization.Bench.Eval;
using Personalization.Model;

namespace Personalization.Tests.Quality;

/// <summary>
/// The bench's random-split protocol, through the real grains in an in-process silo, on a small synthetic data set
/// with planted tastes: every user prefers one group of items, which only co-occurrence can reveal (no categories).
/// </summary>
public sealed class SyntheticEvalTests
{
    private const int Groups = 10;
    private const int ItemsPerGroup = 20;
    private const int Users = 150;

    [Fact]
    public async Task The_learner_beats_popularity_by_half_again_on_planted_preferences()
    {
        var data = PlantedPreferences();
        await using var target = await InProcessTarget.StartAsync([], seed: 1);

        var run = await Protocols.RandomSplitAsync(data, target, seed: 1, validation: false);

        Assert.Equal(Users, run.Lists);
        Assert.True(
            run.Service.PrecisionAt10 >= 1.5 * run.Popularity.PrecisionAt10,
            $"service P@10 {run.Service.PrecisionAt10:F3}, popularity {run.Popularity.PrecisionAt10:F3}");
    }

    /// <summary>Each user: 16 items of their own group and 4 of a few globally popular items, in random order.</summary>
    private static DataSet PlantedPreferences()
    {
        var random = new DeterministicRandom(7);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var interactions = new List<Interaction>();
        for (var user = 0; user < Users; user++)
        {
            var group = user % Groups;
            var items = new HashSet<string>(StringComparer.Ordinal);
            while (items.Count < 16)
            {
                items.Add($"item-{group}-{random.Next(ItemsPerGroup)}");
            }

            while (items.Count < 20)
            {
                items.Add($"item-{random.Next(Groups)}-{random.Next(3)}");
            }

            foreach (var item in items.OrderBy(_ => random.NextUInt64()))
            {
                var at = start.AddMinutes(interactions.Count);
                interactions.Add(new Interaction(interactions.Count, $"user-{user}", item, 1 + random.Next(5), at));
            }
        }

        return new DataSet(interactions, new Dictionary<string, string[]>());
    }
}
