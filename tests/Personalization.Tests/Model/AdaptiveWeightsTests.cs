using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class AdaptiveWeightsTests
{
    [Fact]
    public void A_weights_first_step_is_the_rate_whatever_the_gradient_and_later_steps_shrink_with_the_squared_gradients()
    {
        var weights = new AdaptiveWeights(new double[2], new double[2]);

        weights.Step(0, 0.2, 0.1);
        var first = weights.Weights[0];
        weights.Step(0, 0.2, 0.1);
        var second = weights.Weights[0] - first;
        weights.Step(1, -3, 0.1);

        Assert.Equal(0.1, first, 6);
        // 0.1 * 0.2 / sqrt(2 * 0.2^2): the second of two equal gradients moves 1/sqrt(2) as far.
        Assert.Equal(0.1 / Math.Sqrt(2), second, 6);
        Assert.Equal(-0.1, weights.Weights[1], 6);
        Assert.Equal([0.08, 9], weights.SquaredGradients.Select(g => Math.Round(g, 12)));
    }

    [Fact]
    public void A_weight_whose_feature_was_zero_keeps_its_full_step_while_a_busy_one_settles()
    {
        var weights = new AdaptiveWeights(new double[2], new double[2]);
        for (var i = 0; i < 100; i++)
        {
            weights.Step(0, 0.5, 0.1);
            weights.Step(1, 0, 0.1);
        }

        Assert.Equal(0, weights.Weights[1]);
        var busy = weights.Weights[0];
        weights.Step(0, 0.5, 0.1);
        weights.Step(1, 0.5, 0.1);

        Assert.Equal(0.1 / Math.Sqrt(101), weights.Weights[0] - busy, 9);
        Assert.Equal(0.1, weights.Weights[1], 6);
    }
}
