namespace Personalization.Interfaces;

/// <summary>One partition of the catalog: item metadata, contiguous item vectors and popularity. Key: shard index.</summary>
[Alias("ICatalogShardGrain")]
public interface ICatalogShardGrain : IGrainWithIntegerKey
{
    /// <summary>Creates or replaces items (metadata, active flag); returns once durable.</summary>
    [Alias("UpsertItems")]
    Task UpsertItemsAsync(ItemUpsert[] items);

    /// <summary>Soft-deletes an item; false when it was never seen.</summary>
    [Alias("DeactivateItem")]
    Task<bool> DeactivateItemAsync(string itemId);

    /// <summary>The item's metadata and interaction count, or null when never seen.</summary>
    [Alias("GetItem")]
    Task<ItemDetails?> GetItemAsync(string itemId);

    /// <summary>The metadata of those of <paramref name="itemIds"/> that this shard has seen.</summary>
    [Alias("GetItems")]
    Task<ItemDetails[]> GetItemsAsync(string[] itemIds);

    /// <summary>A page of this shard's items (active or not), in item id order.</summary>
    [Alias("ListItems")]
    Task<ItemDetails[]> ListItemsAsync(ItemListQuery query);

    /// <summary>Which of <paramref name="itemIds"/> this shard has never seen, and its room for new items; reads only.</summary>
    [Alias("NewItems")]
    Task<NewItems> NewItemsAsync(string[] itemIds);

    /// <summary>The learner's predicted success on those of <paramref name="itemIds"/> that are exercises (have skills).</summary>
    [Alias("Predict")]
    Task<ExercisePrediction[]> PredictAsync(LearnerSnapshot learner, string[] itemIds, DateTimeOffset asOf);

    /// <summary>This shard's first active exercises for practice, in <see cref="PracticeOrder"/>: weakest skill first, then nearest the target.</summary>
    [Alias("Practice")]
    Task<PracticeCandidate[]> PracticeAsync(PracticeQuery query);

    /// <summary>The item's current vector, or null when never seen.</summary>
    [Alias("GetVector")]
    Task<float[]?> GetVectorAsync(string itemId);

    /// <summary>
    /// The current vectors and categories of <paramref name="itemIds"/> (creating the items never seen: an event's item
    /// exists from its first event on), <paramref name="negativeSamples"/> random other active items, and the learner-model
    /// parameters of those that are exercises.
    /// </summary>
    [Alias("PrepareInteractions")]
    Task<InteractionContext> PrepareInteractionsAsync(string[] itemIds, int negativeSamples);

    /// <summary>
    /// Applies the item halves of users' learning steps, counts interactions and popularity, learns exercise
    /// difficulty and skill weights from answers, and counts first engagements: every shard counts users per item,
    /// and pairs where one side is its own item, so every shard is sent every engagement (with the earlier items it
    /// needs). One call per shard and request carries both.
    /// </summary>
    [Alias("ApplyInteractions")]
    Task ApplyInteractionsAsync(InteractionBatch[] batches, Engagement[] engagements);

    /// <summary>For oversight: every active item's popularity, category sizes, and the details of <paramref name="itemIds"/>.</summary>
    [Alias("GetSummary")]
    Task<CatalogSummary> GetSummaryAsync(string[] itemIds, DateTimeOffset asOf);

    /// <summary>This shard's best active items for a query.</summary>
    [Alias("Recommend")]
    Task<ScoredItem[]> RecommendAsync(ShardQuery query);
}
