using Personalization.Bench.Data;

namespace Personalization.Bench.Eval;

/// <summary>The service under evaluation: the real grains in this process, or a running gateway over HTTP.</summary>
public interface IRecommenderTarget : IAsyncDisposable
{
    /// <summary>The longest list one request may ask for.</summary>
    int MaxCount { get; }

    /// <summary>Creates every item with its categories.</summary>
    Task UpsertItemsAsync(IReadOnlyList<string> items, IReadOnlyDictionary<string, string[]> categories);

    /// <summary>Sends ratings as <c>rating</c> events carrying their value, in the given order.</summary>
    Task RecordAsync(IReadOnlyList<Interaction> ratings);

    /// <summary>
    /// The user's top <paramref name="count"/> over the items they have not interacted with, best first.
    /// <paramref name="asOf"/> is the data's clock (the HTTP gateway uses its own).
    /// </summary>
    Task<IReadOnlyList<string>> RecommendAsync(string userId, int count, DateTimeOffset asOf);
}
