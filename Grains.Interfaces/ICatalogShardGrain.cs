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

    /// <summary>The item's current vector, or null when never seen.</summary>
    [Alias("GetVector")]
    Task<float[]?> GetVectorAsync(string itemId);

    /// <summary>
    /// Applies the item half of a user's learning steps (creating unknown items), counts popularity, and returns the
    /// items' vectors as they were before, plus sampled negatives, for the user half.
    /// </summary>
    [Alias("ApplyInteractions")]
    Task<InteractionFeedback> ApplyInteractionsAsync(InteractionBatch batch);

    /// <summary>
    /// Counts first engagements: every shard counts users per item, and pairs where one side is its own item. Sent to
    /// every shard.
    /// </summary>
    [Alias("RecordEngagements")]
    Task RecordEngagementsAsync(Engagement[] engagements);

    /// <summary>This shard's best active items for a query.</summary>
    [Alias("Recommend")]
    Task<ScoredItem[]> RecommendAsync(ShardQuery query);
}
