using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class HalfRowsTests
{
    [Fact]
    public void Rows_read_back_within_float16_precision_across_chunks()
    {
        const int d = 8;
        var rows = new HalfRows(d, rowsPerChunk: 4);
        var random = new Random(1);
        var vectors = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, d).Select(_ => random.NextSingle() * 4 - 2).ToArray()).ToArray();
        for (var i = 0; i < vectors.Length; i++)
        {
            rows.Set(i, vectors[i]);
        }

        var read = new float[d];
        for (var i = 0; i < vectors.Length; i++)
        {
            rows.Read(i, read);
            // float16 keeps 11 significant bits: relative error at most 2^-11.
            Assert.All(Enumerable.Range(0, d), j => Assert.Equal(vectors[i][j], read[j], Math.Abs(vectors[i][j]) / 2048));
            Assert.Equal(vectors[i].Zip(vectors[0]).Sum(p => p.First * p.Second), rows.Dot(i, vectors[0]), 0.01);
        }

        // The rows of a chunk read together, up to its end and not beyond.
        var chunk = new float[4 * d];
        rows.Read(4, chunk);
        rows.Read(7, read);
        Assert.Equal(read, chunk[(3 * d)..]);
        Assert.Throws<ArgumentOutOfRangeException>(() => rows.Read(6, chunk));
    }

    [Fact]
    public void Stochastic_rounding_picks_a_neighbour_and_is_right_on_average()
    {
        // 1 + 1/4096 lies a quarter of the way from 1 to the next float16, 1 + 1/1024.
        const float value = 1f + 1f / 4096;
        var (lower, upper) = ((Half)1f, Half.BitIncrement((Half)1f));

        var random = new Random(2);
        var rounded = Enumerable.Range(0, 20_000).Select(_ => HalfRows.RoundStochastically(value, random.NextSingle())).ToArray();

        Assert.All(rounded, h => Assert.True(h == lower || h == upper));
        Assert.Equal(value, rounded.Average(h => (double)(float)h), 2e-5);
        Assert.Equal((Half)0.5f, HalfRows.RoundStochastically(0.5f, 0.99f));
    }

    [Fact]
    public void Learning_steps_below_float16_precision_still_add_up()
    {
        // Many small steps, each a tenth of a float16 step at 1: rounded to nearest, every one would be lost.
        var rows = new HalfRows(1, rowsPerChunk: 16);
        rows.Set(0, [1f]);
        var random = new DeterministicRandom(3);
        Span<float> vector = stackalloc float[1];
        for (var step = 0; step < 1000; step++)
        {
            rows.Read(0, vector);
            vector[0] += 1f / 10240;
            rows.SetStochastically(0, vector, ref random);
        }

        rows.Read(0, vector);
        // Rounded to nearest it would stay at 1; the spread of the stochastic sum is about 0.01.
        Assert.Equal(1f + 1000f / 10240, vector[0], 0.03);
    }
}
