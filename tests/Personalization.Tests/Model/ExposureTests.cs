using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class ExposureTests
{
    [Fact]
    public void Pressure_is_zero_for_unseen_items_and_two_thirds_at_the_mean()
    {
        var ledger = new ExposureLedger();
        ledger.Record(["a", "a", "a", "b"]);

        // Mean count over served items 2, so pressure c / (c + 1): a 3/4, b 1/2, never served 0.
        Assert.Equal([0.75f, 0.5f, 0f], ledger.Pressure(["a", "b", "c"]));
    }

    [Fact]
    public void Counts_halve_by_volume_and_items_served_long_ago_are_forgotten()
    {
        var ledger = new ExposureLedger(halfLifeSlots: 4);
        ledger.Record(["a", "a", "a", "b"]);

        // After 4 slots: a 1.5, b 0.5; then c twice more: a 1.5, b 0.5, c 2 (mean 4/3).
        ledger.Record(["c", "c"]);
        var pressure = ledger.Pressure(["a", "b", "c"]);
        Assert.Equal(1.5f / (1.5f + 2f / 3), pressure[0], 5);
        Assert.Equal(0.5f / (0.5f + 2f / 3), pressure[1], 5);

        // Two more slots halve again: b (0.25) is dropped.
        ledger.Record(["c", "c"]);
        Assert.Equal(0f, ledger.Pressure(["b"])[0]);
    }

    [Fact]
    public void Halving_by_epochs_gives_the_pressure_of_halving_every_count()
    {
        // The ledger against a model that halves every count in place and drops those under 0.5, over thousands of
        // random batches. Skewed like real traffic: a few items are served far more than the long tail, whose counts
        // are forgotten by the thousand (so that forgotten counts also get swept from the ledger's dictionary).
        var ledger = new ExposureLedger(halfLifeSlots: 7);
        var model = new HalvingModel(halfLifeSlots: 7);
        var random = new Random(11);
        string[] items = [.. Enumerable.Range(0, 3_000).Select(i => $"item-{i}")];
        for (var step = 0; step < 8_000; step++)
        {
            string[] served = [.. Enumerable.Range(0, random.Next(1, 12)).Select(_ => items[(int)(items.Length * Math.Pow(random.NextDouble(), 4))])];
            ledger.Record(served);
            model.Record(served);
            string[] asked = [.. served, .. Enumerable.Range(0, 20).Select(_ => items[random.Next(items.Length)])];
            var expected = model.Pressure(asked);
            var actual = ledger.Pressure(asked);
            for (var i = 0; i < asked.Length; i++)
            {
                // Equal up to float rounding: counts with long binary fractions round when 1 is added to them.
                Assert.Equal(expected[i], actual[i], 5);
            }

            // Forgotten counts leave the ledger's memory soon after the model drops them, not all at once.
            Assert.InRange(ledger.Held, model.Held, model.Held + 100);
        }
    }

    /// <summary>The ledger's meaning, spelled out: every count halved and pruned at each half-life.</summary>
    private sealed class HalvingModel(int halfLifeSlots)
    {
        private readonly Dictionary<string, float> _counts = [];
        private long _slots;

        public int Held => _counts.Count;

        public void Record(IEnumerable<string> itemIds)
        {
            foreach (var id in itemIds)
            {
                _counts[id] = _counts.GetValueOrDefault(id) + 1;
                if (++_slots % halfLifeSlots == 0)
                {
                    foreach (var key in _counts.Keys.ToList())
                    {
                        if ((_counts[key] /= 2) < 0.5f)
                        {
                            _counts.Remove(key);
                        }
                    }
                }
            }
        }

        public float[] Pressure(IReadOnlyList<string> itemIds)
        {
            if (_counts.Count == 0)
            {
                return new float[itemIds.Count];
            }

            var halfMean = (float)(_counts.Values.Sum(c => (double)c) / _counts.Count / 2);
            return [.. itemIds.Select(id => _counts.GetValueOrDefault(id) is var c && c > 0 ? c / (c + halfMean) : 0f)];
        }
    }

    [Fact]
    public void The_penalty_moves_an_over_exposed_item_below_a_close_runner_up()
    {
        float[] scores = [1.0f, 0.9f, 0.0f];
        float[] pressure = [0.75f, 0f, 0f];

        Assert.Equal(0.9f, Reranking.ExposureAdjusted(scores, pressure, 0)[1], 5);
        var adjusted = Reranking.ExposureAdjusted(scores, pressure, 0.5);
        Assert.True(adjusted[1] > adjusted[0]);
        Assert.True(adjusted[0] > adjusted[2]);
    }

    [Fact]
    public void Exploration_takes_only_less_exposed_candidates_each_once()
    {
        float[] reserve = [0.9f, 0.1f, 0.8f, 0f, 0.2f];

        Assert.Empty(Reranking.Exploration(3, reserve, 0, new Random(1)));
        var picks = Reranking.Exploration(3, reserve, 1, new Random(1));

        Assert.Equal([0, 1, 2], picks.Select(p => p.Slot));
        Assert.Equal([1, 3, 4], picks.Select(p => p.Candidate).Order());
    }
}
