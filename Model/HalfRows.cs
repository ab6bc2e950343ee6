using System.Numerics.Tensors;

namespace Personalization.Model;

/// <summary>
/// The exact copy of item vectors in float16 (half the bytes of float32), outside the GC heap. The scan re-scores its
/// shortlist from it and learning steps read and write it. A learning step is often smaller than a float16 step at the
/// component's size; rounded to nearest it would be lost, so changed vectors are rounded stochastically: up or down with
/// the probabilities that make the stored value right on average, and small steps add up as they would in float32.
/// </summary>
public sealed class HalfRows(int dimension, int rowsPerChunk)
{
    private readonly NativeRows<Half> _rows = new(dimension, rowsPerChunk);

    public int Dimension => dimension;

    /// <summary>Stores <paramref name="vector"/> as row <paramref name="row"/>, each component rounded to nearest.</summary>
    public void Set(int row, ReadOnlySpan<float> vector)
    {
        _rows.EnsureRows(row + 1);
        TensorPrimitives.ConvertToHalf(vector, _rows.Row(row));
    }

    /// <summary>Stores <paramref name="vector"/> as row <paramref name="row"/>, each component rounded stochastically.</summary>
    public void SetStochastically(int row, ReadOnlySpan<float> vector, ref DeterministicRandom random)
    {
        _rows.EnsureRows(row + 1);
        var values = _rows.Row(row);
        for (var j = 0; j < vector.Length; j++)
        {
            values[j] = RoundStochastically(vector[j], (float)random.NextDouble());
        }
    }

    /// <summary>Rows <paramref name="first"/> onwards (all in one chunk) as float32, one per <paramref name="dimension"/> entries of <paramref name="vectors"/>.</summary>
    public void Read(int first, Span<float> vectors)
    {
        TensorPrimitives.ConvertToSingle(_rows.From(first)[..vectors.Length], vectors);
        // The span points into a native chunk that the rows' finalizer frees (a scan may read while a shard goes).
        GC.KeepAlive(_rows);
    }

    public float Dot(int row, ReadOnlySpan<float> query)
    {
        Span<float> vector = stackalloc float[dimension];
        Read(row, vector);
        return TensorPrimitives.Dot(vector, query);
    }

    /// <summary>
    /// One of the two float16 values around <paramref name="value"/>, the upper one with probability (value - lower) /
    /// (upper - lower); <paramref name="uniform"/> is uniform in [0, 1).
    /// </summary>
    public static Half RoundStochastically(float value, float uniform)
    {
        var nearest = (Half)value;
        var back = (float)nearest;
        if (back == value || !Half.IsFinite(nearest))
        {
            return nearest;
        }

        var (lower, upper) = back < value ? (nearest, Half.BitIncrement(nearest)) : (Half.BitDecrement(nearest), nearest);
        var (low, high) = ((float)lower, (float)upper);
        return uniform * (high - low) < value - low ? upper : lower;
    }
}
