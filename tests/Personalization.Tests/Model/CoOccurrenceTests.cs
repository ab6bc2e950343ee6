using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class CoOccurrenceTests
{
    [Fact]
    public void Owned_items_score_by_the_cosine_of_their_co_occurrence_with_the_history()
    {
        // This shard owns a (slot 0) and b (slot 1); c lives elsewhere. One user engaged with a then b, another a then c.
        var index = new CoOccurrenceIndex(new(StringComparer.Ordinal), new(StringComparer.Ordinal), similarityExponent: 0.5f);
        index.AddSlot("a");
        index.AddSlot("b");
        index.Record("a", 0, [], 0, 0f);
        index.Record("b", 1, [("a", 0)], 1, 0f);
        index.Record("a", 0, [], 0, 0f);
        index.Record("c", null, [("a", 0)], 1, 0f);

        var afterA = new float[2];
        var entriesA = index.Score([("a", 1f)], afterA, 1f);
        var afterC = new float[2];
        var entriesC = index.Score([("c", 1f)], afterC, 1f);

        // cos(a, b) = 1 / sqrt(2 * 1); a is not its own neighbour.
        Assert.Equal(0f, afterA[0]);
        Assert.Equal(1 / MathF.Sqrt(2), afterA[1], 5);
        Assert.Equal(1 / MathF.Sqrt(2), afterC[0], 5);
        Assert.Equal(0f, afterC[1]);
        Assert.Equal(1, entriesA);
        Assert.Equal(0, index.Score([("nothing in common", 1f)], afterA, 1f));

        // A reused scratch is all zeros again after Clear: the whole of a small one, the entries of a large one.
        index.Clear([("a", 1f)], entriesA, afterA);
        Assert.Equal([0f, 0f], afterA);
        var large = new float[64];
        large[1] = 5f; // b shares no user with c: a sparse clear leaves it
        index.Score([("c", 1f)], large, 1f);
        index.Clear([("c", 1f)], entriesC, large);
        Assert.Equal([0f, 5f, .. new float[62]], large);
    }

    [Fact]
    public void Heavy_users_count_less_per_pair()
    {
        var index = new CoOccurrenceIndex(new(StringComparer.Ordinal), new(StringComparer.Ordinal), similarityExponent: 0.5f);
        index.AddSlot("a");
        index.Record("a", 0, [], 0, 1f);
        index.Record("b", null, [("a", 0), ("x", null), ("y", null)], 3, 1f);

        var scores = new float[1];
        index.Score([("b", 1f)], scores, 1f);

        // Three previous items: the pair counts 1 / 4; n_a = n_b = 1.
        Assert.Equal(0.25f, scores[0], 5);
    }

    [Fact]
    public void A_shard_told_only_the_earlier_items_it_owns_counts_the_same()
    {
        // The shard owns a and b; the engaged item c and the earlier item x live elsewhere.
        var told = new CoOccurrenceIndex(new(StringComparer.Ordinal), new(StringComparer.Ordinal), similarityExponent: 0.5f);
        var toldAll = new CoOccurrenceIndex(new(StringComparer.Ordinal), new(StringComparer.Ordinal), similarityExponent: 0.5f);
        foreach (var index in new[] { told, toldAll })
        {
            index.AddSlot("a");
            index.AddSlot("b");
            index.Record("a", 0, [], 0, 0.5f);
            index.Record("b", 1, [("a", 0)], 1, 0.5f);
        }

        toldAll.Record("c", null, [("x", null), ("b", 1), ("a", 0)], 3, 0.5f);
        told.Record("c", null, [("b", 1), ("a", 0)], 3, 0.5f);

        var fromAll = new float[2];
        toldAll.Score([("c", 1f), ("a", 0.5f)], fromAll, 1f);
        var fromOwned = new float[2];
        told.Score([("c", 1f), ("a", 0.5f)], fromOwned, 1f);
        Assert.Equal(fromAll, fromOwned);
        Assert.True(fromAll[0] > 0 && fromAll[1] > 0);
    }

    [Fact]
    public void An_index_opened_over_stored_counts_scores_as_the_one_that_counted_them()
    {
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        var pairs = new Dictionary<string, PairRow>(StringComparer.Ordinal);
        var live = new CoOccurrenceIndex(occurrences, pairs, similarityExponent: 0.5f);
        live.AddSlot("a");
        live.AddSlot("b");
        live.Record("a", 0, [], 0, 0.5f);
        live.Record("c", null, [("a", 0)], 1, 0.5f);
        live.Record("b", 1, [("c", null), ("a", 0)], 2, 0.5f);
        // c gains users after its row was made: the row's own count must follow, here and after a restart.
        live.Record("c", null, [], 0, 0.5f);
        live.Record("c", null, [("b", 1)], 1, 0.5f);

        // As storage gives them back: the entries alone.
        var stored = pairs.ToDictionary(p => p.Key, p => new PairRow(p.Value.Entries.ToArray(), p.Value.Count), StringComparer.Ordinal);
        var reopened = new CoOccurrenceIndex(new(occurrences, StringComparer.Ordinal), stored, similarityExponent: 0.5f);
        reopened.AddSlot("a");
        reopened.AddSlot("b");

        (string, float)[] history = [("c", 1f), ("a", 0.5f)];
        var fromLive = new float[2];
        live.Score(history, fromLive, 1f);
        var fromReopened = new float[2];
        reopened.Score(history, fromReopened, 1f);
        Assert.Equal(fromLive, fromReopened);
        // Slot a: c (3 users, weight 1 of 1.5) shares a user with a (1 user) at 2^-0.5; a itself has no row entry for a.
        Assert.Equal(1f / 1.5f / MathF.Sqrt(3) / MathF.Sqrt(2), fromLive[0], 5);
    }

    [Fact]
    public void Affinity_keeps_long_term_taste_and_boosts_what_was_just_done()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        (string, float, DateTimeOffset)[] events =
        [
            ("x", 1f, t0), ("y", 1f, t0.AddHours(1)), ("z", -1f, t0.AddHours(1.5)), ("x", 1f, t0.AddHours(2)),
        ];

        var now = t0.AddHours(2);
        var recent = Affinity.Recent(events, e => e, count: 10, now, TimeSpan.FromHours(1), recentBoost: 1f);

        // x: 1 * (1 + 0.25) + 1 * (1 + 1); y: 1 * (1 + 0.5); z is disliked and left out.
        Assert.Equal([("x", 3.25f), ("y", 1.5f)], recent);
        Assert.Equal([("x", 3.25f)], Affinity.Recent(events, e => e, count: 1, now, TimeSpan.FromHours(1), recentBoost: 1f));
        // Long after the last event only the long-term taste is left.
        Assert.Equal([("x", 2f), ("y", 1f)], Affinity.Recent(events, e => e, count: 10, now.AddDays(30), TimeSpan.FromHours(1), recentBoost: 1f));
    }
}

public sealed class PairRowTests
{
    [Fact]
    public void Counts_add_up_per_slot_like_a_dictionary_through_growth_and_a_copy()
    {
        var random = new Random(9);
        var row = new PairRow();
        var expected = new Dictionary<int, float>();
        for (var i = 0; i < 5_000; i++)
        {
            // Slots spread far apart and close together, so that probing wraps and collides.
            var slot = random.Next(2) == 0 ? random.Next(300) : random.Next(1_000_000) * 64;
            var amount = random.Next(1, 4) * 0.25f;
            row.Add(slot, amount);
            expected[slot] = expected.GetValueOrDefault(slot) + amount;
        }

        var restored = row.Copy();
        restored.Add(7, 1f);
        expected[7] = expected.GetValueOrDefault(7) + 1f;

        Assert.Equal(expected.Count, restored.Count);
        var actual = new Dictionary<int, float>();
        for (var i = 0; i < restored.Count; i++)
        {
            actual.Add(restored.Entries[i].Slot, restored.Entries[i].Count);
        }

        Assert.Equal(expected.OrderBy(e => e.Key), actual.OrderBy(e => e.Key));
    }
}
