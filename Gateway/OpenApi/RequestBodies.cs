using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Personalization.Gateway.Api;

namespace Personalization.Gateway.OpenApi;

// Shapes of the request bodies, for the API document only: the handlers read bodies with the validators in
// Validation/, which key every error by its JSON path; these records restate their rules from the same constants.

/// <summary>An item to create or replace (upsert).</summary>
public sealed record ItemBody
{
    [Required, IdRule]
    public string Id { get; init; } = "";

    [MaxLength(ItemsApi.MaxCategories), LabelRule, Description("Categories, such as genres.")]
    public string[]? Categories { get; init; }

    [MaxLength(ItemsApi.MaxTags), LabelRule, Description("Free tags.")]
    public string[]? Tags { get; init; }

    [DefaultValue(true), Description("False hides the item from every list (a soft delete).")]
    public bool? Active { get; init; }

    [MaxLength(ItemsApi.MaxSkills), IdRule, Description("Learning mode: the skills an exercise practices.")]
    public string[]? Skills { get; init; }

    [Range(-ItemsApi.MaxDifficulty, ItemsApi.MaxDifficulty), Description("Learning mode: difficulty prior on a logit scale (0 is average, positive is harder).")]
    public double? Difficulty { get; init; }
}

/// <summary>An interaction of a user with an item.</summary>
public sealed record EventBody
{
    [IdRule, Description("Makes a retry safe: an event id seen before counts as a duplicate. Assigned when absent.")]
    public string? EventId { get; init; }

    [Required, IdRule]
    public string UserId { get; init; } = "";

    [Required, IdRule, Description("An unknown item is created on its first event.")]
    public string ItemId { get; init; } = "";

    [Required, EventTypeRule]
    public string Type { get; init; } = "";

    [EventValueRule]
    public double? Value { get; init; }

    [IdRule]
    public string? SessionId { get; init; }

    [Description("When it happened (ISO 8601); default: when received.")]
    public DateTimeOffset? Timestamp { get; init; }

    [IdRule, Description("The recommendationId of the list the item was shown in.")]
    public string? RecommendationId { get; init; }
}

/// <summary>Whether the user's data may be used to personalize; while off, nothing about the user is stored but that choice.</summary>
public sealed record ConsentBody
{
    [Required]
    public bool Personalization { get; init; }
}
