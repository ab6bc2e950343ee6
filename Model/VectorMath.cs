using System.Numerics.Tensors;

namespace Personalization.Model;

/// <summary>Small dense-vector helpers over spans (SIMD through System.Numerics.Tensors).</summary>
public static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);

    public static float Norm(ReadOnlySpan<float> a) => TensorPrimitives.Norm(a);

    /// <summary>target += scale * source.</summary>
    public static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float scale) =>
        TensorPrimitives.MultiplyAdd(source, scale, target, target);

    /// <summary>Scales <paramref name="target"/> to unit length; leaves a zero vector as it is.</summary>
    public static void Normalize(Span<float> target)
    {
        var norm = Norm(target);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Multiply(target, 1f / norm, target);
        }
    }

    /// <summary>True for an empty or all-zero vector (no preference known).</summary>
    public static bool IsZero(ReadOnlySpan<float> a) => a.IsEmpty || TensorPrimitives.MaxMagnitude(a) == 0f;
}
