namespace Personalization.Model;

/// <summary>
/// Weights learned online with AdaGrad steps (Duchi, Hazan and Singer 2011): each weight moves by
/// <c>rate * gradient / sqrt(sum of its squared gradients so far)</c>. A weight whose feature is seldom non-zero (a
/// rare pattern of answers, a skill answered little) keeps large steps, while one that hears from every answer settles;
/// one step size for all of them either starves the first or makes the second noisy.
/// </summary>
public readonly record struct AdaptiveWeights(double[] Weights, double[] SquaredGradients)
{
    /// <summary>Keeps a step finite while a weight has seen no gradient.</summary>
    private const double Epsilon = 1e-8;

    /// <summary>Moves weight <paramref name="i"/> up the <paramref name="gradient"/> of the log-likelihood.</summary>
    public void Step(int i, double gradient, double rate)
    {
        SquaredGradients[i] += gradient * gradient;
        Weights[i] += rate * gradient / Math.Sqrt(Epsilon + SquaredGradients[i]);
    }
}
