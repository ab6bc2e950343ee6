using Personalization.Model;

namespace Personalization.Tests.Model;

public sealed class OnlineUpdateTests
{
    private static readonly LearningOptions _settings = new();

    [Fact]
    public void A_positive_step_raises_the_score_and_a_negative_step_lowers_it()
    {
        var item = HashedEmbedding.Direction("item", 16);
        var user = new float[16];
        user[0] = 0.1f;
        var before = VectorMath.Dot(user, item);

        var up = user.ToArray();
        OnlineUpdate.Step(up, item, OnlineUpdate.Gradient(before, 1f), _settings.UserLearningRate, _settings.Regularization);
        var down = user.ToArray();
        OnlineUpdate.Step(down, item, OnlineUpdate.Gradient(before, -1f), _settings.UserLearningRate, _settings.Regularization);

        Assert.True(VectorMath.Dot(up, item) > before);
        Assert.True(VectorMath.Dot(down, item) < before);
    }

    [Fact]
    public void Gradient_shrinks_once_the_model_agrees()
    {
        Assert.True(OnlineUpdate.Gradient(5f, 1f) < OnlineUpdate.Gradient(0f, 1f));
        Assert.True(Math.Abs(OnlineUpdate.Gradient(-5f, -1f)) < Math.Abs(OnlineUpdate.Gradient(0f, -1f)));
    }

    [Fact]
    public void Query_uses_the_session_alone_for_a_user_without_long_term_vector()
    {
        var session = HashedEmbedding.Direction("s", 8);
        var query = OnlineUpdate.Query(new float[8], session, 0.3f);
        Assert.Equal(1f, VectorMath.Dot(query, session), 4);
    }

    [Fact]
    public void Query_blends_long_term_and_session_directions()
    {
        var longTerm = HashedEmbedding.Direction("a", 32);
        var session = HashedEmbedding.Direction("b", 32);
        var query = OnlineUpdate.Query(longTerm, session, 0.5f);
        Assert.True(VectorMath.Dot(query, longTerm) > 0.3f);
        Assert.True(VectorMath.Dot(query, session) > 0.3f);
    }

    [Fact]
    public void Popularity_blend_fades_with_history()
    {
        var fresh = OnlineUpdate.PopularityBlend(0, _settings);
        Assert.Equal(_settings.PopularityWeight, fresh);
        Assert.Equal(fresh / 2, OnlineUpdate.PopularityBlend((long)_settings.ColdStartInteractions, _settings), 5);
    }

    [Fact]
    public void Ratings_map_to_engagement_weights_that_grow_with_the_value()
    {
        var settings = _settings with { LowestRatingWeight = 0.2f };
        Assert.Equal(1f, EventSignal.Weight("rating", 5, settings));
        Assert.Equal(0.2f, EventSignal.Weight("rating", 0.5, settings), 5);
        Assert.Equal(0.6f, EventSignal.Weight("rating", 2.75, settings), 5);
        Assert.True(EventSignal.Weight("purchase", null, settings) > EventSignal.Weight("click", null, settings));
        Assert.True(EventSignal.Weight("dislike", null, settings) < 0);
    }
}
