namespace Personalization.Interfaces;

/// <summary>
/// The order of a practice list, the same in every shard and in the merge of their lists: by skill first (skills to
/// learn before review, then the skill's place, then its id, so that the exercises of one skill stay together), then
/// the exercise whose predicted success is nearest the target, ties by item id. Nearness to the target never lifts an exercise above one
/// of a weaker skill.
/// </summary>
public sealed class PracticeOrder : IComparer<PracticeCandidate>
{
    public static readonly PracticeOrder Instance = new();

    private PracticeOrder()
    {
    }

    public int Compare(PracticeCandidate? x, PracticeCandidate? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var order = x.Review.CompareTo(y.Review);
        order = order != 0 ? order : x.SkillOrder.CompareTo(y.SkillOrder);
        order = order != 0 ? order : string.CompareOrdinal(x.Skill, y.Skill);
        order = order != 0 ? order : x.Distance.CompareTo(y.Distance);
        return order != 0 ? order : string.CompareOrdinal(x.ItemId, y.ItemId);
    }
}
